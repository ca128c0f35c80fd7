"""Honest coverage and stage health: what the report could check, from which exports, and how each GSCOR stage
is doing (docs/report.md, "Coverage banner" and "Stage health").

* :func:`coverage_banner` — the top of the page: exports used (their period span, the snapshot used for the
  week), exports missing (where to download each: the registry's ``origin``, in the report's languages; the
  rules it would unlock), rules run of the catalogue, and the stages none of whose rules could run.
* :func:`stage_health` — one verdict per stage from its metrics against the store's own baseline and the peer
  average, and from the stage's share of the week's estimated impact; never "any high finding ⇒ poor".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gscor.registry import load_registry
from gscor.report import fmt
from gscor.report.i18n import LABELS, STAGES

Pair = tuple[str | None, str | None]

# A snapshot taken up to this many days after the report week counts for that week (issue 10, item 8b).
SNAPSHOT_GRACE_DAYS = 7

# What each summary metric needs: all of the groups, each satisfied by any one of its export types. A metric
# without a value names the missing groups (so the funnel says why a stage's number is unknown).
METRIC_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "ctr": (("shop_daily", "product_performance", "keyword_performance"),),
    "inquiry_rate": (("inquiries",), ("shop_daily", "industry_benchmark")),
    "opportunity_rate": (("inquiries", "tm_conversations"), ("shop_daily", "industry_benchmark")),
    "inquiry_replied_24h_share": (("inquiries",),),
    "timely_reply_rate": (("industry_benchmark",),),
    "avg_reply_hours": (("industry_benchmark",),),
    "order_rate_cohort": (("inquiries",), ("orders",)),
    "repurchase_rate": (("orders",),),
    "active_sa_customers": (("customers", "orders"),),
}

# The funnel's steps and the exports each can come from (int_funnel_weeks_assembled), for "why unknown".
STEP_NEEDS: dict[str, tuple[str, ...]] = {
    "impressions": ("shop_daily", "product_performance", "keyword_performance"),
    "clicks": ("shop_daily", "product_performance", "keyword_performance"),
    "visitors": ("shop_daily", "industry_benchmark"),
    "inquiries": ("shop_daily", "inquiries", "product_performance"),
    "ta_orders": ("orders", "shop_daily"),
}

# Stage health (docs/report.md "Stage health"): points from the metrics and from the findings' impact.
BASELINE_BANDS = ((-0.50, 3), (-0.25, 2), (-0.10, 1))  # relative gap to the 8-week baseline → points
# relative gap to the peer average (signed: negative = worse) → points
PEER_BANDS = ((-0.60, 3), (-0.40, 2), (-0.20, 1))
IMPACT_SHARE_BANDS = ((0.50, 2), (0.20, 1))  # the stage's share of the week's total impact (USD) → points
POOR_POINTS = 3  # metric points + impact points ≥ 3: poor; ≥ 1: watch; 0: good


def _registry() -> dict:
    if not _REG:
        _REG.update(load_registry())
    return _REG


_REG: dict = {}


def export_name(report_type: str) -> Pair:
    t = _registry().get(report_type)
    return (t.name_zh, t.name_en) if t else (report_type, report_type)


def export_origin(report_type: str) -> Pair:
    """Where the export is downloaded: the registry's ``origin`` (menu path of the back office), with the
    vocabulary's wording per language when it has one (``origin_<type>``)."""
    t = _registry().get(report_type)
    raw = t.origin if t else ""
    zh, en = LABELS.get(f"origin_{report_type}", (raw, raw))
    return (zh or raw, en or raw)


def _points(gap: float | None, bands: tuple[tuple[float, int], ...]) -> int:
    if gap is None:
        return 0
    for limit, pts in bands:
        if gap <= limit:
            return pts
    return 0


def _dates(text: Any) -> list[dt.date]:
    out = []
    for part in str(text or "").split("|"):
        try:
            out.append(dt.date.fromisoformat(part.strip()[:10]))
        except ValueError:
            continue
    return sorted(out)


def stage_checks(coverage: list[dict]) -> dict[str, dict]:
    """Per stage: rules in the catalogue, rules that could run, and the missing exports of the others (most
    needed first)."""
    out: dict[str, dict] = {s: {"total": 0, "ran": 0, "needs": {}} for s in STAGES}
    for c in coverage or []:
        s = out.get(c.get("stage"))
        if s is None:
            continue
        s["total"] += 1
        if c.get("can_run"):
            s["ran"] += 1
            continue
        for m in (c.get("missing_report_types") or "").split("|"):
            if m:
                s["needs"][m] = s["needs"].get(m, 0) + 1
    for s in out.values():
        s["needs"] = [m for m, _ in sorted(s["needs"].items(), key=lambda kv: (-kv[1], kv[0]))]
        s["checked"] = s["ran"] > 0 or s["total"] == 0
    return out


def not_checked_text(needs: list[str], limit: int = 3) -> Pair:
    names = [export_name(m) for m in needs[:limit]]
    more = len(needs) - limit
    zh = "、".join(n[0] or "" for n in names) + (f" 等 {len(needs)} 种" if more > 0 else "")
    en = ", ".join(n[1] or "" for n in names) + (f" and {more} more" if more > 0 else "")
    tzh, ten = LABELS["stage_not_checked"]
    return tzh.format(needs=zh), ten.format(needs=en)


def coverage_banner(
    exports: list[dict], coverage: list[dict], period_end: dt.date, checks: dict[str, dict] | None = None
) -> dict:
    """The coverage banner's content (plain values; the writers render it)."""
    checks = checks or stage_checks(coverage)
    unlock: dict[str, int] = {}
    stages_of: dict[str, set[str]] = {}
    for c in coverage or []:
        if c.get("can_run"):
            continue
        for m in (c.get("missing_report_types") or "").split("|"):
            if m:
                unlock[m] = unlock.get(m, 0) + 1
                stages_of.setdefault(m, set()).add(c.get("stage") or "")
    used, missing = [], []
    week_start = period_end - dt.timedelta(days=6)
    for e in sorted(exports or [], key=lambda r: r.get("report_type") or ""):
        rt = e.get("report_type")
        if e.get("is_loaded"):
            snapshot = None
            stale = False
            if e.get("is_snapshot"):
                dates = [
                    d
                    for d in _dates(e.get("snapshot_dates"))
                    if d <= period_end + dt.timedelta(SNAPSHOT_GRACE_DAYS)
                ]
                snapshot = fmt.date(dates[-1]) if dates else None
                stale = not dates
                span = ""
            else:
                last = e.get("last_period_end")
                span = f"{fmt.date(e.get('first_period_start'))} – {fmt.date(last)}"
                stale = isinstance(last, dt.date) and last < week_start
            used.append(
                {
                    "report_type": rt,
                    "name": export_name(rt),
                    "span": span,
                    "snapshot": snapshot,
                    "all_snapshots": [fmt.date(d) for d in _dates(e.get("snapshot_dates"))],
                    "stale": stale,
                    "files": int(e.get("files_loaded") or 0),
                }
            )
        elif unlock.get(rt):
            missing.append(
                {
                    "report_type": rt,
                    "name": export_name(rt),
                    "origin": export_origin(rt),
                    "rules": unlock[rt],
                    "stages": sorted(s for s in stages_of.get(rt, ()) if s),
                }
            )
    missing.sort(key=lambda m: (-m["rules"], m["report_type"]))
    total = len(coverage or [])
    ran = sum(1 for c in coverage or [] if c.get("can_run"))
    not_checked = [
        {"stage": s, "label": LABELS[f"stage_{s}"], "text": not_checked_text(checks[s]["needs"])}
        for s in STAGES
        if not checks[s]["checked"]
    ]
    return {
        "rules_run": ran,
        "rules_total": total,
        "used": used,
        "missing": missing,
        "not_checked": not_checked,
        "complete": not missing,
    }


def metric_reason(key: str, loaded: set[str]) -> Pair | None:
    """Why a summary metric has no value: the exports it needs that are not loaded (None when all are)."""
    lacking = [group for group in METRIC_NEEDS.get(key, ()) if not loaded.intersection(group)]
    if not lacking:
        return None
    names = [export_name(group[0]) for group in lacking]
    zh, en = LABELS["metric_needs"]
    return (
        zh.format(needs="、".join(n[0] or "" for n in names)),
        en.format(needs=", ".join(n[1] or "" for n in names)),
    )


def funnel_notes(week: dict | None, loaded: set[str]) -> list[Pair]:
    """One line per funnel step without a number this week: which export would give it."""
    out: list[Pair] = []
    for step, needs in STEP_NEEDS.items():
        if week is not None and week.get(step) is not None:
            continue
        name = LABELS.get(step, (step, step))
        if loaded.intersection(needs):
            zh, en = LABELS["step_no_value"]
            out.append((zh.format(step=name[0]), en.format(step=name[1])))
            continue
        first = export_name(needs[0])
        zh, en = LABELS["step_needs"]
        out.append(
            (
                zh.format(step=name[0], needs=first[0], origin=export_origin(needs[0])[0]),
                en.format(step=name[1], needs=first[1], origin=export_origin(needs[0])[1]),
            )
        )
    return out


def stage_health(
    stage: str,
    metrics: list[dict],
    findings: list[dict],
    total_impact: float,
    checked: bool,
) -> tuple[str, dict]:
    """The stage's health and how it was reached.

    Metric points: the worst metric of the stage, by its gap to the store's own 8-week baseline (−10 % 1,
    −25 % 2, −50 % 3) or to the peer average (−20 % 1, −40 % 2, −60 % 3), whichever is larger. Impact points:
    the stage's share of the week's estimated impact (USD per week) of all current findings (≥ 20 % 1, ≥ 50 %
    2); when no finding of the report has an estimated impact, 1 point for a stage with a high finding.
    Poor at 3 points or more, watch at 1–2, good at 0. A stage none of whose rules could run and with no metric
    is not checked."""
    metric_pts = 0
    measured = 0
    for m in metrics:
        b = _points(m.get("_vs_base"), BASELINE_BANDS)
        p = _points(m.get("_vs_peer"), PEER_BANDS)
        if m.get("_vs_base") is not None or m.get("_vs_peer") is not None or m.get("_has_value"):
            measured += 1
        metric_pts = max(metric_pts, b, p)
    stage_impact = sum(float(f.get("impact_usd") or 0) for f in findings if f.get("impact_usd"))
    share = stage_impact / total_impact if total_impact > 0 else None
    if share is not None:
        impact_pts = _points(-share, tuple((-lim, pts) for lim, pts in IMPACT_SHARE_BANDS))
    else:
        impact_pts = 1 if any(f.get("severity") == "high" for f in findings) else 0
    score = metric_pts + impact_pts
    basis = {
        "metric_points": metric_pts,
        "impact_points": impact_pts,
        "impact_share": share,
        "stage_impact": stage_impact,
        "score": score,
    }
    if not checked and not measured:
        return "not_checked", basis
    if score >= POOR_POINTS:
        return "poor", basis
    if score >= 1:
        return "watch", basis
    if not measured and not findings:
        return "good" if checked else "not_checked", basis
    return "good", basis


def health_basis_text(basis: dict) -> Pair:
    share = basis.get("impact_share")
    zh, en = LABELS["health_basis" if share is not None else "health_basis_no_impact"]
    s = fmt.pct(share) if share is not None else "–"
    return (
        zh.format(m=basis["metric_points"], i=basis["impact_points"], share=s),
        en.format(m=basis["metric_points"], i=basis["impact_points"], share=s),
    )
