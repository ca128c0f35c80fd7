"""The report's content as plain values, shared by the HTML and Markdown writers.

Texts are plain strings (escaped by the writers); bilingual pairs are ``(zh, en)`` tuples that the writers
show according to ``lang``; table cells are pre-formatted strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from gscor.report import charts, fmt
from gscor.report.data import ADVANCED_MARTS, STANDING_REPORTS, ReportData, Table
from gscor.report.i18n import LABELS, SEVERITIES, STAGES, Lang

Pair = tuple[str | None, str | None]

# Column headers of the standing reports / generic tables that have a back-office name.
COLUMN_LABELS: dict[str, Pair] = {
    "keyword": ("关键词", "Keyword"),
    "impressions": ("曝光", "Impressions"),
    "clicks": ("点击", "Clicks"),
    "ctr": ("点击率", "CTR"),
    "impressions_wow_change": ("曝光环比", "Impressions WoW"),
    "top10_avg_ctr": ("前 10 平均点击率", "Top-10 avg CTR"),
    "is_brand": ("品牌词", "Brand"),
    "channel_class": ("来源类别", "Source class"),
    "visitors_daily_uv_sum": ("访客（日累加）", "Visitors (daily sum)"),
    "share_of_week_visitors": ("访客占比", "Share of visitors"),
    "inquiry_buyers_daily_uv_sum": ("询盘人数（日累加）", "Inquiring buyers (daily sum)"),
    "opportunity_rate_of_daily_sums": ("商机转化率", "Opportunity rate"),
    "visitors_daily_uv_sum_wow_change": ("访客环比", "Visitors WoW"),
    "period_start": ("周期开始", "Period start"),
    "period_end": ("周期结束", "Period end"),
    "product_id": ("产品 ID", "Product id"),
    "product_name": ("产品名称", "Product"),
    "owner": ("负责人", "Owner"),
    "search_impressions": ("搜索曝光", "Search impressions"),
    "search_clicks": ("搜索点击", "Search clicks"),
    "search_ctr": ("搜索点击率", "Search CTR"),
    "inquiries": ("询盘", "Inquiries"),
    "is_month_complete": ("整月", "Full month"),
    "tm_conversations": ("TM 咨询", "TM chats"),
    "reply_hours_avg": ("平均回复时长（小时）", "Avg reply (h)"),
    "replied_within_24h_share": ("24 小时内回复", "Replied in 24 h"),
    "sample_share": ("样品询盘占比", "Sample share"),
    "target_market_share": ("目标市场占比", "Target-market share"),
    "conversion_rate_30d": ("30 天转化率", "30-day conversion"),
    "ta_orders": ("信保订单", "TA orders"),
    "amount_usd": ("金额（美元）", "Amount (USD)"),
    "aov_usd": ("客单价（美元）", "AOV (USD)"),
    "buyers": ("买家", "Buyers"),
    "new_buyer_amount_share": ("新客金额占比", "New-buyer share"),
    "late_shipment_share": ("延迟发货占比", "Late shipments"),
    "amount_usd_mom_change": ("金额环比", "Amount MoM"),
    "stat_date": ("日期", "Date"),
    "campaign": ("推广计划", "Campaign"),
    "spend_cny": ("花费（元）", "Spend (CNY)"),
    "cpc_cny": ("点击单价（元）", "CPC (CNY)"),
    "cost_per_inquiry_cny": ("询盘成本（元）", "Cost per inquiry (CNY)"),
    "metric_name": ("指标", "Metric"),
    "my_value": ("我的", "Mine"),
    "peer_avg": ("同行平均", "Peer average"),
    "peer_top": ("同行优秀", "Peer top"),
}

# Summary health: per stage, the rates shown (funnel column with an 8-week baseline, peer metric code).
STAGE_METRICS: dict[str, tuple[tuple[str, str | None, str | None], ...]] = {
    # (label key, fct_funnel_weekly column, fct_peer_benchmark metric_code)
    "G": (("ctr", "ctr", "ctr"),),
    "S": (("inquiry_rate", "inquiry_rate", "inquiry_rate"),),
    "C": (
        ("opportunity_rate", "opportunity_rate", "opportunity_rate"),
        ("timely_reply_rate", None, "timely_reply_rate"),
        ("avg_reply_hours", None, "avg_reply_hours"),
    ),
    "O": (("order_rate", "order_rate", None),),
    "R": (),
}
BASELINE_WATCH = -0.10  # 10% below its own baseline
PEER_WATCH = -0.20  # 20% worse than the peer average


@dataclass
class TableView:
    key: str  # label key of the heading (or the relation name)
    headers: list[Pair] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    total: int = 0
    note: Pair | None = None


def _rel(cur: Any, ref: Any, higher_is_better: bool = True) -> float | None:
    """Relative gap, signed so that negative = worse."""
    if cur is None or ref in (None, 0):
        return None
    gap = cur / ref - 1
    return gap if higher_is_better else -gap


def _col_header(column: str) -> Pair:
    return COLUMN_LABELS.get(column, (column, column))


def table_view(t: Table, key: str) -> TableView:
    rows = [[fmt.cell(c, r.get(c), r) for c in t.columns] for r in t.rows]
    v = TableView(key, [_col_header(c) for c in t.columns], rows, t.total_rows)
    if t.name == "rpt_product_monthly" and any(r.get("is_month_complete") is False for r in t.rows):
        v.note = LABELS["month_partial"]
    return v


def build_view(
    data: ReportData,
    current: list[dict],
    plan: list[dict],
    lang: Lang,
    cap: int,
    generated_at: dt.datetime,
) -> dict[str, Any]:
    E = data.period_end
    week = data.funnel[-1] if data.funnel and data.funnel[-1]["period_end"] == E else None
    peer = {r["metric_code"]: r for r in data.peer}

    # ---- summary
    counts = {s: {sev: 0 for sev in SEVERITIES} for s in STAGES}
    for f in current:
        if f.get("stage") in counts and f.get("severity") in counts[f["stage"]]:
            counts[f["stage"]][f["severity"]] += 1
    cov_by_stage: dict[str, list[dict]] = {}
    for c in data.coverage or []:
        cov_by_stage.setdefault(c.get("stage"), []).append(c)
    stages = []
    for s in STAGES:
        metrics = []
        worst = 0.0
        for key, fcol, pcode in STAGE_METRICS[s]:
            cur = week.get(fcol) if week and fcol else None
            base = week.get(f"{fcol}_baseline_8w") if week and fcol else None
            p = peer.get(pcode) if pcode else None
            hib = True if p is None or p.get("higher_is_better") is None else bool(p["higher_is_better"])
            vs_base = _rel(cur, base)
            vs_peer = _rel(p.get("my_value"), p.get("peer_avg"), hib) if p else None
            if cur is None and p is None:
                continue
            unit = p.get("unit") if p else None
            if vs_base is not None and vs_base < BASELINE_WATCH:
                worst = min(worst, vs_base)
            if vs_peer is not None and vs_peer < PEER_WATCH:
                worst = min(worst, vs_peer)
            metrics.append(
                {
                    "label": LABELS[key],
                    "this_week": fmt.pct(cur) if cur is not None else "–",
                    "baseline": fmt.pct(base) if base is not None else "–",
                    "vs_baseline": fmt.signed_pct(vs_base),
                    "vs_baseline_bad": vs_base is not None and vs_base < 0,
                    "my_value": fmt.metric_value(key, p.get("my_value"), unit) if p else "–",
                    "peer_avg": fmt.metric_value(key, p.get("peer_avg"), unit) if p else "–",
                    "vs_peer": fmt.signed_pct(vs_peer),
                    "vs_peer_bad": vs_peer is not None and vs_peer < 0,
                    "peer_period": (p.get("stat_period") or fmt.date(p.get("period_start"))) if p else "",
                }
            )
        c = counts[s]
        ran = [x for x in cov_by_stage.get(s, []) if x.get("can_run")]
        if c["high"]:
            health = "poor"
        elif c["medium"] or worst < 0:
            health = "watch"
        elif not metrics and cov_by_stage.get(s) and not ran:
            health = "unknown"
        else:
            health = "good"
        stages.append(
            {
                "stage": s,
                "label": LABELS[f"stage_{s}"],
                "metrics": metrics,
                "counts": c,
                "total": sum(c.values()),
                "health": health,
                "health_label": LABELS[f"health_{health}"],
            }
        )

    # ---- action plan
    actions = [
        {
            "rank": str(a["rank"]),
            "action_id": a["action_id"] or "–",
            "rule_id": a["rule_id"],
            "title": (a["title_zh"], a["title_en"]),
            "severity": a["severity"],
            "severity_label": LABELS.get(a["severity"] or "", (a["severity"], a["severity"])),
            "entity": a["entity_label"] or a["entity_id"],
            "entity_id": a["entity_id"] if a["entity_label"] and a["entity_label"] != a["entity_id"] else "",
            "action": (a["action_text_zh"], a["action_text_en"]),
            "owner": a["owner"],
            "due_date": fmt.date(a["due_date"]),
            "impact": fmt.money(a["impact_usd"]),
            "impact_native": _impact_native(a),
            "status": LABELS.get(f"status_{a['status']}", (a["status"], a["status"])),
            "carried_over": a["carried_over"],
        }
        for a in plan
    ]

    # ---- stage sections
    sections = []
    for s in STAGES:
        rules: dict[str, dict] = {}
        for f in current:
            if f.get("stage") != s:
                continue
            r = rules.setdefault(
                f["rule_id"],
                {
                    "rule_id": f["rule_id"],
                    "title": (f.get("title_zh"), f.get("title_en")),
                    "items": [],
                    "total": 0,
                },
            )
            r["total"] += 1
            if len(r["items"]) >= 50:
                continue
            r["items"].append(_finding_view(f))
        sections.append({"stage": s, "label": LABELS[f"stage_{s}"], "rules": list(rules.values())})

    # ---- standing reports / advanced
    standing = [table_view(data.standing[name], name) for name in STANDING_REPORTS]
    advanced = [table_view(data.advanced[name], name) for name in ADVANCED_MARTS]

    # ---- effects
    effects = []
    for r in data.effects.rows:
        key = (r.get("entity_type"), r.get("entity_id"), r.get("metric"))
        series = data.effect_series.get(key, [])
        verdict = r.get("verdict") or "not_trackable"
        metric = r.get("metric")
        effects.append(
            {
                "action_id": r.get("action_id"),
                "rule_id": r.get("rule_id"),
                "entity": r.get("entity_label") or r.get("entity_id"),
                "action": (r.get("action_text_zh"), r.get("action_text_en")),
                "metric": metric,
                "done_date": fmt.date(r.get("done_date")),
                "before": fmt.metric_value(metric, r.get("before_value")),
                "before_window": _window(r.get("before_start"), r.get("before_end")),
                "after": fmt.metric_value(metric, r.get("after_value")),
                "after_window": _window(r.get("after_start"), r.get("after_end")),
                "change": fmt.signed_pct(r.get("change_pct")),
                "z_score": fmt.num(r.get("z_score"), 1) if r.get("z_score") is not None else "–",
                "verdict": verdict,
                "verdict_label": LABELS.get(f"verdict_{verdict}", (verdict, verdict)),
                "sparkline": charts.sparkline(
                    series, r.get("after_start"), f"{metric}: {r.get('entity_id')}"
                ),
            }
        )

    # ---- coverage
    coverage = [
        {
            "rule_id": c["rule_id"],
            "stage": c.get("stage"),
            "title": (c.get("title_zh"), c.get("title_en")),
            "missing": [m for m in (c.get("missing_report_types") or "").split("|") if m],
        }
        for c in data.coverage
        if not c.get("can_run")
    ]
    rules_total = len(data.coverage)
    rules_run = rules_total - len(coverage)

    # ---- charts
    store_ctr = week.get("ctr") if week else None
    chart_list: list[tuple[str, Markup | None]] = [
        ("chart_funnel", charts.funnel(week, lang)),
        ("chart_trend", charts.trend(data.funnel, data.festival_weeks, lang)),
        ("chart_keywords", charts.keyword_quadrant(data.keywords, store_ctr, lang)),
        ("chart_traffic", charts.traffic_mix(data.traffic_mix, lang)),
        ("chart_p4p", charts.p4p(data.p4p_weekly, lang)),
    ]

    return {
        "account_id": data.account_id,
        "period_start": fmt.date(E - dt.timedelta(days=6)),
        "period_end": fmt.date(E),
        "generated_at": generated_at.strftime("%Y-%m-%d %H:%M UTC"),
        "cap": cap,
        "stages": stages,
        "actions": actions,
        "sections": sections,
        "standing": standing,
        "advanced": advanced,
        "effects": effects,
        "coverage": coverage,
        "rules_run": rules_run,
        "rules_total": rules_total,
        "charts": chart_list,
    }


def _impact_native(a: dict) -> str:
    est, unit = a.get("impact_estimate"), a.get("impact_unit")
    if est is None or not unit:
        return ""
    if unit == "usd":
        return ""  # the USD column says it
    if unit == "cny":
        return fmt.money(est, "CNY")
    return f"{fmt.num(est)} {unit}"


def _window(start: Any, end: Any) -> str:
    if start is None and end is None:
        return ""
    return f"{fmt.date(start)} – {fmt.date(end)}"


def _finding_view(f: dict) -> dict:
    metric = f.get("metric")
    return {
        "finding_id": f.get("finding_id"),
        "severity": f.get("severity"),
        "severity_label": LABELS.get(f.get("severity") or "", (f.get("severity"), f.get("severity"))),
        "entity": f.get("entity_label") or f.get("entity_id"),
        "entity_id": f.get("entity_id")
        if f.get("entity_label") and f.get("entity_label") != f.get("entity_id")
        else "",
        "entity_type": f.get("entity_type"),
        "metric": metric,
        "value": fmt.metric_value(metric, f.get("value")),
        "threshold": fmt.metric_value(metric, f.get("threshold")),
        "benchmark": fmt.metric_value(metric, f.get("benchmark")),
        "period": f"{fmt.date(f.get('period_start'))} – {fmt.date(f.get('period_end'))} ({f.get('period_grain')})",
        "evidence_detail": f.get("evidence_detail") or "",
        "impact": fmt.money(f.get("impact_usd")),
        "impact_native": _impact_native(f),
        "action": (f.get("action_text_zh"), f.get("action_text_en")),
        "owner": f.get("owner") or "",
    }
