"""Bilingual labels of the report. ``lang`` is ``zh``, ``en`` or ``both`` (中文 first, then English)."""

from __future__ import annotations

from markupsafe import Markup, escape

LANGS = ("zh", "en", "both")

# key -> (中文, English)
LABELS: dict[str, tuple[str, str]] = {
    "title": ("阿里巴巴国际站 GSCOR 周报", "Alibaba.com GSCOR weekly report"),
    "account": ("账号", "Account"),
    "period": ("周期", "Period"),
    "week": ("周", "Week"),
    "generated_at": ("生成时间", "Generated at"),
    "contents": ("目录", "Contents"),
    "summary": ("概览：各 GSCOR 阶段健康度", "Summary: health by GSCOR stage"),
    "summary_note": (
        "本周指标与 8 周基线（店铺自身）和同行平均（同行对比，最近一个月）对比；发现数按严重程度统计。",
        "This week's rates against the store's own 8-week baseline and the peer average (同行对比, latest "
        "month); findings counted by severity.",
    ),
    "health": ("健康度", "Health"),
    "metric": ("指标", "Metric"),
    "this_week": ("本周", "This week"),
    "baseline_8w": ("8 周基线", "8-week baseline"),
    "peer_avg": ("同行平均", "Peer average"),
    "peer_top": ("同行优秀", "Peer top"),
    "peer_period": ("我的（同行对比月份）", "Mine (benchmark month)"),
    "vs_baseline": ("对比基线", "vs baseline"),
    "vs_peer": ("对比同行", "vs peers"),
    "findings": ("发现", "Findings"),
    "findings_by_stage": ("按阶段和严重程度统计的发现", "Findings by stage and severity"),
    "total": ("合计", "Total"),
    "stage": ("阶段", "Stage"),
    "severity": ("严重程度", "Severity"),
    "high": ("高", "High"),
    "medium": ("中", "Medium"),
    "low": ("低", "Low"),
    "health_good": ("良好", "Good"),
    "health_watch": ("关注", "Watch"),
    "health_poor": ("较差", "Poor"),
    "health_unknown": ("无数据", "No data"),
    "stage_G": ("G 引流", "G Get traffic"),
    "stage_S": ("S 店铺与产品", "S Store & products"),
    "stage_C": ("C 沟通与转化", "C Communication & conversion"),
    "stage_O": ("O 订单", "O Orders"),
    "stage_R": ("R 复购与留存", "R Retention"),
    "action_plan": ("下周行动计划", "Action plan for next week"),
    "action_plan_note": (
        "按影响（折合美元）从大到小排序，再按严重程度和规则编号；最多 {cap} 项。负责人：数据中的产品负责人/跟进人，"
        "否则为规则目录中的角色。截止日期：周期结束 + 7 天（高严重程度 + 3 天）。",
        "Ranked by impact (USD equivalent), then severity, then rule id; at most {cap} actions. Owner: the "
        "product owner / account manager from the data where known, else the catalogue role. Due: period "
        "end + 7 days (high severity: + 3 days).",
    ),
    "no_actions": ("本期没有需要行动的发现。", "No findings call for action this period."),
    "rank": ("排名", "Rank"),
    "action_id": ("行动编号", "Action id"),
    "rule": ("规则", "Rule"),
    "entity": ("对象", "Entity"),
    "action": ("行动", "Action"),
    "owner": ("负责人", "Owner"),
    "due_date": ("截止日期", "Due date"),
    "impact": ("影响", "Impact"),
    "impact_usd": ("影响（美元）", "Impact (USD)"),
    "status": ("状态", "Status"),
    "status_open": ("进行中", "open"),
    "status_done": ("已完成", "done"),
    "status_dropped": ("已放弃", "dropped"),
    "status_not_recorded": ("未记录", "not recorded"),
    "carried_over": ("沿用此前未完成的行动", "carried over from an earlier report"),
    "stage_section": ("阶段发现", "Findings by stage"),
    "no_findings_stage": ("本阶段本期没有发现。", "No findings in this stage this period."),
    "evidence": ("证据", "Evidence"),
    "value": ("数值", "Value"),
    "threshold": ("阈值", "Threshold"),
    "benchmark": ("参照", "Benchmark"),
    "evidence_detail": ("补充证据", "More evidence"),
    "standing_reports": ("六张常规报表（本期摘要）", "The six standing reports (this period's headlines)"),
    "no_rows": ("本期没有数据。", "No rows for this period."),
    "showing_rows": ("显示 {shown} / {total} 行", "showing {shown} of {total} rows"),
    "rpt_keyword_weekly": ("关键词周报（曝光前 10）", "Keyword weekly report (top 10 by impressions)"),
    "rpt_traffic_source_weekly": ("流量来源周报", "Traffic source weekly report"),
    "rpt_product_monthly": (
        "产品月报（搜索曝光前 10）",
        "Product monthly report (top 10 by search impressions)",
    ),
    "rpt_inquiry_conversion_weekly": (
        "询盘转化周报（近 4 周）",
        "Inquiry conversion weekly report (last 4 weeks)",
    ),
    "rpt_ta_orders_monthly": (
        "信保订单月报（近 3 个月）",
        "Trade Assurance orders monthly report (last 3 months)",
    ),
    "rpt_p4p_daily": ("直通车日报（本周）", "P4P daily report (this week)"),
    "month_partial": ("本月未结束，数据不完整", "month not complete yet"),
    "advanced": ("进阶分析（X01–X04）", "Advanced analyses (X01–X04)"),
    "fct_ab_test_readout": ("X01 A/B 实验结论", "X01 A/B test readout"),
    "fct_peer_benchmark": ("X02 同行对比", "X02 Industry benchmark"),
    "fct_attribution": ("X03 归因（首次/末次/线性）", "X03 Attribution (first / last / linear)"),
    "fct_time_to_order": ("X03 下单时长", "X03 Time to order"),
    "fct_festival_seasonality": ("X04 大促季节性", "X04 Seasonality vs trade festivals"),
    "fct_festival_budget_advice": ("X04 下一次大促预算建议", "X04 Budget advice for the next festival"),
    "effects": ("行动效果跟踪", "Effect tracking"),
    "effects_note": (
        "已完成的行动：目标指标在完成前后等长窗口的数值，并与该对象正常的周波动比较后给出结论。",
        "Done actions: the targeted metric over equal windows before and after, judged against the "
        "entity's normal week-to-week variation.",
    ),
    "no_effects": ("还没有已完成的行动。", "No done actions yet."),
    "done_date": ("完成日期", "Done on"),
    "before": ("之前", "Before"),
    "after": ("之后", "After"),
    "change": ("变化", "Change"),
    "z_score": ("Z 值", "z-score"),
    "verdict": ("结论", "Verdict"),
    "trend": ("走势", "Trend"),
    "verdict_improved": ("改善", "improved"),
    "verdict_no_effect": ("无明显效果", "no effect"),
    "verdict_worse": ("变差", "worse"),
    "verdict_too_early": ("为时尚早", "too early"),
    "verdict_not_trackable": ("无法跟踪", "not trackable"),
    "coverage": ("数据覆盖：无法运行的分析", "Coverage: analyses that could not run"),
    "coverage_note": (
        "以下规则缺少所需的导出报表，本期没有运行。上传这些报表即可启用。",
        "These rules lack a required export and did not run this period. Upload the exports to enable them.",
    ),
    "coverage_all": ("所有规则都有所需数据。", "Every rule had the data it needs."),
    "rules_run": ("可运行规则 {run} / {total}", "{run} of {total} rules could run"),
    "missing_exports": ("缺少的导出报表", "Missing exports"),
    "title_col": ("名称", "Title"),
    "charts": ("图表", "Charts"),
    "chart_funnel": (
        "本周漏斗与转化率（对比 8 周基线）",
        "This week's funnel and stage rates (vs 8-week baseline)",
    ),
    "chart_trend": (
        "每周曝光与询盘（阴影为大促/展会）",
        "Weekly impressions and inquiries (shaded: trade festivals/fairs)",
    ),
    "chart_keywords": (
        "关键词象限：曝光 × 点击率（本周）",
        "Keyword quadrant: impressions × CTR (this week)",
    ),
    "chart_traffic": ("流量来源结构（访客占比，按周）", "Traffic-source mix (share of visitors, weekly)"),
    "chart_p4p": ("直通车花费与询盘（按周）", "P4P spend vs inquiries (weekly)"),
    "no_chart_data": ("没有足够数据绘制此图。", "Not enough data for this chart."),
    "impressions": ("曝光", "Impressions"),
    "clicks": ("点击", "Clicks"),
    "visitors": ("访客", "Visitors"),
    "inquiries": ("询盘", "Inquiries"),
    "ta_orders": ("信保订单", "TA orders"),
    "ctr": ("点击率", "CTR"),
    "inquiry_rate": ("询盘率", "Inquiry rate"),
    "opportunity_rate": ("商机转化率", "Opportunity rate"),
    "tm_rate": ("TM 咨询率", "TM rate"),
    "order_rate": ("询盘下单率", "Order rate"),
    "timely_reply_rate": ("及时回复率", "Timely reply rate"),
    "avg_reply_hours": ("平均回复时长", "Avg reply hours"),
    "spend_cny": ("花费（元）", "Spend (CNY)"),
    "store_ctr": ("店铺点击率", "Store CTR"),
    "median_impressions": ("曝光中位数", "Median impressions"),
    "festival": ("大促", "Festival"),
    "trade_fair": ("展会", "Trade fair"),
    "keyword": ("关键词", "Keyword"),
    "quadrant_stars": ("高曝光高点击", "High exposure, high CTR"),
    "quadrant_fix": ("高曝光低点击：优化主图标题", "High exposure, low CTR: fix image/title"),
    "quadrant_grow": ("低曝光高点击：加大投入", "Low exposure, high CTR: push"),
    "quadrant_tail": ("长尾", "Long tail"),
    "ch_natural_search": ("自然搜索", "Natural search"),
    "ch_p4p": ("直通车", "P4P"),
    "ch_events_channels": ("活动/频道", "Events & channels"),
    "ch_direct": ("直接访问", "Direct"),
    "ch_off_site": ("站外", "Off-site"),
    "ch_other": ("其他", "Other"),
    "footer": (
        "本报告为单个离线文件，不加载任何外部资源。数据来自 gscor 仓库（只读）。",
        "This report is one offline file and loads nothing from outside. Data: the gscor warehouse (read-only).",
    ),
}

STAGES = ("G", "S", "C", "O", "R")
SEVERITIES = ("high", "medium", "low")


class Lang:
    """Picks / joins the Chinese and English text of a label for one output language."""

    def __init__(self, mode: str = "both"):
        if mode not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {mode!r}")
        self.mode = mode

    def _pick(self, zh: str | None, en: str | None) -> list[tuple[str, str]]:
        zh = zh or en or ""
        en = en or zh or ""
        if self.mode == "zh":
            return [("zh", zh)]
        if self.mode == "en":
            return [("en", en)]
        return [("zh", zh)] if zh == en else [("zh", zh), ("en", en)]

    def text(self, key: str, **fmt) -> str:
        """Plain text (Markdown, CSV): ``中文 / English`` when both."""
        zh, en = LABELS[key]
        return self.pair_text(zh.format(**fmt), en.format(**fmt))

    def pair_text(self, zh: str | None, en: str | None) -> str:
        return " / ".join(t for _, t in self._pick(zh, en))

    def pair_list(self, pair: tuple[str | None, str | None]) -> list[str]:
        """The texts of a (zh, en) pair to show, one per language (Chinese first)."""
        return [t for _, t in self._pick(pair[0], pair[1])]

    def html(self, key: str, **fmt) -> Markup:
        """HTML: each language in its own ``<span lang=…>`` (escaped)."""
        zh, en = LABELS[key]
        return self.pair_html(zh.format(**fmt), en.format(**fmt))

    def pair_html(self, zh: str | None, en: str | None) -> Markup:
        parts = self._pick(zh, en)
        return Markup(" ").join(
            Markup('<span lang="{}" class="l-{}">{}</span>').format(
                "zh-CN" if code == "zh" else "en", code, escape(t)
            )
            for code, t in parts
        )

    def one(self, key: str, **fmt) -> str:
        """One language only (chart labels where space is short): Chinese unless lang is en."""
        zh, en = LABELS[key]
        return (en if self.mode == "en" else zh).format(**fmt)

    def svg_lines(self, key: str, **fmt) -> list[str]:
        """Chart captions: one line per language."""
        zh, en = LABELS[key]
        return [t for _, t in self._pick(zh.format(**fmt), en.format(**fmt))]
