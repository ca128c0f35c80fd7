"""The report's content as plain values, shared by the HTML and Markdown writers.

Texts are plain strings (escaped by the writers); bilingual pairs are ``(zh, en)`` tuples that the writers
show according to ``lang``; table cells are pre-formatted strings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from gscor.registry import load_registry
from gscor.report import charts, fmt, health
from gscor.report.data import ADVANCED_MARTS, STANDING_REPORTS, ReportData, Table
from gscor.report.i18n import LABELS, SEVERITIES, STAGES, TERMS, Lang, term, value_label
from gscor.report.problems import label as problem_label

Pair = tuple[str | None, str | None]

# Summary health: per stage, the metrics shown (label key = metric code, fct_funnel_weekly column or None,
# fct_peer_benchmark metric_code or None). One definition per metric: a reply-speed figure computed from the
# inquiry list and the back office's own (同行对比) are separate rows, each labelled with its source.
STAGE_METRICS: dict[str, tuple[tuple[str, str | None, str | None], ...]] = {
    "G": (("ctr", "ctr", "ctr"),),
    "S": (("inquiry_rate", "inquiry_rate", "inquiry_rate"),),
    "C": (
        ("opportunity_rate", "opportunity_rate", "opportunity_rate"),
        ("inquiry_replied_24h_share", "inquiry_replied_24h_share", None),
        ("timely_reply_rate", None, "timely_reply_rate"),
        ("avg_reply_hours", None, "avg_reply_hours"),
    ),
    "O": (("order_rate_cohort", "order_rate_cohort", None),),
    "R": (("repurchase_rate", "repurchase_rate", None), ("active_sa_customers", "active_sa_customers", None)),
}
# The week a metric is read from: the report week, except the order cohort (the latest complete cohort).
COHORT_METRICS = ("order_rate_cohort",)
COUNT_METRICS = ("active_sa_customers",)
METRIC_SOURCES = {
    "inquiry_replied_24h_share": "src_inquiry_list",
    "timely_reply_rate": "src_back_office_peer",
    "avg_reply_hours": "src_back_office_peer",
    "active_sa_customers": "src_crm",
}


@dataclass
class TableView:
    key: str  # label key of the heading (or the relation name)
    headers: list[Pair] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    total: int = 0
    note: Pair | None = None
    empty: Pair | None = None  # why the table has no rows
    more: TableView | None = None  # the full table (every column) when the main one shows the answer only


def _rel(cur: Any, ref: Any, higher_is_better: bool = True) -> float | None:
    """Relative gap, signed so that negative = worse."""
    if cur is None or ref in (None, 0):
        return None
    gap = cur / ref - 1
    return gap if higher_is_better else -gap


# The answer first: the columns of a wide table shown in the main table (the rest under "more columns").
ANSWER_COLUMNS: dict[str, tuple[str, ...]] = {
    "fct_festival_seasonality": (
        "name_zh", "name_en", "festival_year", "start_date", "end_date", "impressions_lift", "inquiries_lift",
        "clicks_lift", "is_complete",
    ),
    "fct_festival_budget_advice": (
        "name_zh", "name_en", "start_date", "recommended_budget_uplift", "recommended_weekly_p4p_spend_cny",
        "advice_zh", "advice_en",
    ),
}  # fmt: skip
MONTHLY = ("rpt_product_monthly", "rpt_ta_orders_monthly")
_LANG_COLUMNS = {"zh": ("_en",), "en": ("_zh",), "both": ()}


def _month_end(d: dt.date) -> dt.date:
    return (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def table_view(
    t: Table, key: str, lang: Lang, period_end: dt.date, columns: tuple[str, ...] | None = None
) -> TableView:
    """Rows of a relation as words: headers from the vocabulary, coded values labelled, a month still running
    flagged (its month-on-month change left blank: it is not a whole month)."""
    drop = _LANG_COLUMNS[lang.mode]
    shown = [c for c in (columns or t.columns) if c in t.columns]
    if len(shown) > 1:
        shown = [
            c
            for c in shown
            if not c.endswith(drop) or c[:-3] + ("_zh" if c.endswith("_en") else "_en") not in shown
        ]
    partial_month = None
    rows = []
    for r in t.rows:
        running = (
            t.name in MONTHLY
            and isinstance(r.get("period_start"), dt.date)
            and (r.get("is_month_complete") is False or _month_end(r["period_start"]) > period_end)
        )
        cells = []
        for c in shown:
            v = r.get(c)
            if running and c == "period_start":
                partial_month = v
                zh, en = LABELS["month_running"]
                end = fmt.date(period_end)
                cells.append(f"{v:%Y-%m} " + lang.pair_text(zh.format(end=end), en.format(end=end)))
            elif running and c.endswith("_mom_change"):
                cells.append("–")
            elif t.name in MONTHLY and c == "period_start" and isinstance(v, dt.date):
                cells.append(f"{v:%Y-%m}")
            elif (label := value_label(v)) is not None:
                cells.append(lang.pair_text(*label))
            else:
                cells.append(fmt.cell(c, v, r))
        rows.append(cells)
    v = TableView(key, [term(c) for c in shown], rows, t.total_rows)
    if partial_month is not None:
        zh, en = LABELS["month_partial"]
        end = fmt.date(period_end)
        v.note = (
            zh.format(month=f"{partial_month:%Y-%m}", end=end),
            en.format(month=f"{partial_month:%Y-%m}", end=end),
        )
    if columns is not None and len(shown) < len(t.columns):
        v.more = table_view(t, key, lang, period_end)
    return v


def _empty_reason(name: str, data: ReportData) -> Pair:
    """Why a table of the period is empty."""
    if name == "fct_festival_budget_advice":
        E = fmt.date(data.period_end)
        nxt = data.next_festival
        if not data.p4p_weekly:
            return LABELS["advice_no_p4p"]
        if not nxt:
            zh, en = LABELS["advice_no_festival"]
            return zh.format(E=E), en.format(E=E)
        zh, en = LABELS["advice_no_history"]
        start = fmt.date(nxt.get("start_date"))
        return (
            zh.format(name=nxt.get("name_zh") or nxt.get("name_en"), start=start),
            en.format(name=nxt.get("name_en") or nxt.get("name_zh"), start=start),
        )
    return LABELS.get(f"empty_{name}", LABELS["no_rows"])


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

    # ---- summary: coverage first, then each stage's metrics and health (gscor.report.health)
    checks = health.stage_checks(data.coverage)
    banner = health.coverage_banner(data.exports, data.coverage, E, checks)
    loaded = {e["report_type"] for e in data.exports if e.get("is_loaded")}
    counts = {s: {sev: 0 for sev in SEVERITIES} for s in STAGES}
    for f in current:
        if f.get("stage") in counts and f.get("severity") in counts[f["stage"]]:
            counts[f["stage"]][f["severity"]] += 1
    total_impact = sum(float(f.get("impact_usd") or 0) for f in current if f.get("impact_usd"))
    stages = []
    for s in STAGES:
        metrics = [_summary_metric(key, fcol, peer.get(pcode) if pcode else None, data, week, loaded)
                   for key, fcol, pcode in STAGE_METRICS[s]]  # fmt: skip
        chk = checks[s]
        status, basis = health.stage_health(
            s, metrics, [f for f in current if f.get("stage") == s], total_impact, chk["checked"]
        )
        c = counts[s]
        stages.append(
            {
                "stage": s,
                "label": LABELS[f"stage_{s}"],
                "metrics": metrics,
                "counts": c,
                "total": sum(c.values()),
                "health": status,
                "health_label": LABELS[f"health_{status}"],
                "health_basis": health.health_basis_text(basis),
                "rules_ran": chk["ran"],
                "rules_total": chk["total"],
                "checked": chk["checked"],
                "not_checked": None if chk["checked"] else health.not_checked_text(chk["needs"]),
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
            "entity_id": a["entity_id"]
            if a["entity_label"] and a["entity_label"] != a["entity_id"] and a.get("group_key") is None
            else "",  # a grouped problem's id (group:<key>) is the ledger's; its objects are listed
            "action": (a["action_text_zh"], a["action_text_en"]),
            "owner": a["owner"],
            "metric": term(a.get("metric")) if a.get("metric") else None,
            "value": fmt.metric_value(a.get("metric"), a.get("value_at_creation")),
            "due_date": fmt.date(a["due_date"]),
            "impact": fmt.money(a["impact_usd"]),
            "impact_native": _impact_native(a),
            "status": LABELS.get(f"status_{a['status']}", (a["status"], a["status"])),
            "carried_over": a["carried_over"],
            **_problem_view(a),
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
            r["items"].append(_finding_view(f, lang))
        chk = checks[s]
        sections.append(
            {
                "stage": s,
                "label": LABELS[f"stage_{s}"],
                "rules": list(rules.values()),
                "checked": chk["checked"],
                "not_checked": None if chk["checked"] else health.not_checked_text(chk["needs"]),
                "rules_ran": chk["ran"],
                "rules_total": chk["total"],
            }
        )

    # ---- standing reports / advanced
    standing, advanced = [], []
    for names, tables, out in (
        (STANDING_REPORTS, data.standing, standing),
        (ADVANCED_MARTS, data.advanced, advanced),
    ):
        for name in names:
            tv = table_view(tables[name], name, lang, E, ANSWER_COLUMNS.get(name))
            tv.empty = _empty_reason(name, data)
            out.append(tv)

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
                "metric": term(metric),
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
            "missing": [_export_name(m) for m in (c.get("missing_report_types") or "").split("|") if m],
        }
        for c in data.coverage
        if not c.get("can_run")
    ]
    rules_total = len(data.coverage)
    rules_run = rules_total - len(coverage)

    # ---- charts
    store_ctr = week.get("ctr") if week else None
    # the funnel's order rate: the latest complete inquiry cohort (not this week's orders ÷ inquiries)
    cohort = next((r for r in reversed(data.funnel) if r.get("order_rate_cohort") is not None), None)
    funnel_week = (
        {
            **week,
            "order_rate_cohort": cohort.get("order_rate_cohort") if cohort else None,
            "order_rate_cohort_baseline_8w": cohort.get("order_rate_cohort_baseline_8w") if cohort else None,
        }
        if week
        else None
    )
    chart_list: list[tuple[str, Markup | None]] = [
        ("chart_funnel", charts.funnel(funnel_week, lang)),
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
        "plan_labels": {
            **{k: problem_label(k) for k in PLAN_LABELS},
            "plan_note": tuple(t.format(cap=cap) for t in problem_label("plan_note")),
        },
        "sections": sections,
        "standing": standing,
        "advanced": advanced,
        "effects": effects,
        "coverage": coverage,
        "banner": banner,
        "funnel_notes": health.funnel_notes(week, loaded),
        "rules_run": rules_run,
        "rules_total": rules_total,
        "charts": chart_list,
        "severity_labels": {sev: LABELS[sev] for sev in SEVERITIES},
    }


PLAN_LABELS = ("impact_explained", "entities", "also_evidence", "left_out", "impact_basis", "impact_unknown")


def _problem_view(a: dict) -> dict:
    """The plan card's problem part: its objects (all, for the list under the card), the other rules'
    findings that are evidence of it, the objects a conflict left out, what its impact means."""
    entities, evidence = [], []
    for e in a.get("entities") or []:
        name = str(e.get("label") or e.get("entity_id") or "")
        row = {
            "name": name,
            "id": e["entity_id"] if e.get("entity_id") and e["entity_id"] != name else "",
            "value": fmt.metric_value(e.get("metric"), e.get("value")),
            "impact": fmt.money(e.get("impact_usd")) if e.get("impact_usd") is not None else "",
        }
        if e.get("role") == "evidence":
            evidence.append({**row, "rule_id": e.get("rule_id"), "metric": term(e.get("metric"))})
        else:
            entities.append(row)
    basis = (a.get("impact_basis_zh"), a.get("impact_basis_en"))
    note = (a.get("impact_note_zh"), a.get("impact_note_en"))
    fam = (a.get("family_title_zh"), a.get("family_title_en"))
    return {
        "entity_count": a.get("entity_count") or len(entities),
        "entities": entities if len(entities) > 1 else [],
        "evidence": evidence,
        "excluded": [
            {
                "name": str(x.get("entity_label") or x.get("entity_id")),
                "reason": (x["reason_zh"], x["reason_en"]),
            }
            for x in a.get("excluded_entities") or []
        ],
        "impact_basis": basis if any(basis) else None,
        "impact_note": note if any(note) and a.get("impact_usd") is None else None,
        "family": fam if any(fam) else None,
    }


def _baseline_from_history(data: ReportData, col: str, week_end: dt.date) -> float | None:
    """Mean of the column over the 8 weeks before week_end that have it (None with fewer than 4), for the
    funnel columns without a *_baseline_8w of their own (R metrics)."""
    prior = [
        r.get(col)
        for r in data.funnel
        if r.get(col) is not None and week_end - dt.timedelta(days=56) <= r["period_end"] < week_end
    ]
    return sum(prior) / len(prior) if len(prior) >= 4 else None


def _summary_metric(
    key: str, fcol: str | None, p: dict | None, data: ReportData, week: dict | None, loaded: set[str]
) -> dict:
    """One row of the summary: this week's value (the latest complete cohort for the order rate), its 8-week
    baseline, the peer comparison, the source of the figure and, when there is no value, why."""
    row = week
    week_note: tuple[str, str] | None = None
    if key in COHORT_METRICS:
        row = next((r for r in reversed(data.funnel) if r.get(fcol) is not None), None)
        if row is not None:
            zh, en = LABELS["cohort_week"]
            kw = {
                "week": fmt.date(row["period_end"]),
                "days": fmt.num(row.get("order_cohort_days")),
                "n": fmt.num(row.get("order_cohort_converted")),
                "of": fmt.num(row.get("order_cohort_inquiries")),
            }
            week_note = (zh.format(**kw), en.format(**kw))
    cur = row.get(fcol) if row and fcol else None
    base = None
    if row and fcol:
        base = (
            row.get(f"{fcol}_baseline_8w")
            if f"{fcol}_baseline_8w" in row
            else (_baseline_from_history(data, fcol, row["period_end"]))
        )
    if key == "active_sa_customers" and row and cur is not None:
        zh, en = LABELS["of_sa_customers"]
        week_note = (
            zh.format(n=fmt.num(row.get("sa_customers"))),
            en.format(n=fmt.num(row.get("sa_customers"))),
        )
    hib = True if p is None or p.get("higher_is_better") is None else bool(p["higher_is_better"])
    vs_base = _rel(cur, base)
    vs_peer = _rel(p.get("my_value"), p.get("peer_avg"), hib) if p else None
    unit = p.get("unit") if p else None
    show = fmt.num if key in COUNT_METRICS else fmt.pct
    src = METRIC_SOURCES.get(key)
    source = None
    if src:
        zh, en = LABELS[src]
        period = (p.get("stat_period") or fmt.date(p.get("period_start"))) if p else ""
        source = (zh.format(period=period).strip(), en.format(period=period).strip(" ,"))
    reason = None
    if cur is None and p is None:
        reason = health.metric_reason(key, loaded)
        if reason is None:
            reason = LABELS["cohort_incomplete"] if key in COHORT_METRICS else LABELS["metric_no_value"]
    return {
        "key": key,
        "label": LABELS[key],
        "source": source,
        "this_week": show(cur) if cur is not None else "–",
        "week_note": week_note,
        "baseline": show(base) if base is not None else "–",
        "vs_baseline": fmt.signed_pct(vs_base),
        "vs_baseline_bad": vs_base is not None and vs_base < 0,
        "my_value": fmt.metric_value(key, p.get("my_value"), unit) if p else "–",
        "peer_avg": fmt.metric_value(key, p.get("peer_avg"), unit) if p else "–",
        "vs_peer": fmt.signed_pct(vs_peer),
        "vs_peer_bad": vs_peer is not None and vs_peer < 0,
        "peer_period": (p.get("stat_period") or fmt.date(p.get("period_start"))) if p else "",
        "reason": reason,
        "_vs_base": vs_base,
        "_vs_peer": vs_peer,
        "_has_value": cur is not None or (p is not None and p.get("my_value") is not None),
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


def _export_name(report_type: str) -> Pair:
    t = _registry().get(report_type)
    return (t.name_zh, t.name_en) if t else (report_type, report_type)


_REGISTRY: dict = {}


def _registry() -> dict:
    if not _REGISTRY:
        _REGISTRY.update(load_registry())
    return _REGISTRY


_CODE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def words(text: str, lang: Lang) -> str:
    """Evidence written by the rules (``avg_reply_hours 31.3; ctr …``) with its metric codes as words (English
    in an English or bilingual report, whose evidence sentences are English; Chinese in a Chinese one)."""
    i = 0 if lang.mode == "zh" else 1
    return _CODE.sub(lambda m: TERMS[m[0]][i] if m[0] in TERMS else m[0], text)


def _finding_view(f: dict, lang: Lang) -> dict:
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
        "metric": term(metric),
        "value": fmt.metric_value(metric, f.get("value")),
        "threshold": fmt.metric_value(metric, f.get("threshold")),
        "benchmark": fmt.metric_value(metric, f.get("benchmark")),
        "period": f"{fmt.date(f.get('period_start'))} – {fmt.date(f.get('period_end'))}"
        f" ({lang.pair_text(*(value_label(f.get('period_grain')) or (f.get('period_grain'), None)))})",
        "evidence_detail": words(f.get("evidence_detail") or "", lang),
        "impact": fmt.money(f.get("impact_usd")),
        "impact_native": _impact_native(f),
        "action": (f.get("action_text_zh"), f.get("action_text_en")),
        "owner": f.get("owner") or "",
    }
