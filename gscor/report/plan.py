"""Current findings of a period and the ranked, capped action plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gscor.actions import ITEM_COLUMNS
from gscor.report.i18n import Lang

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
DUE_DAYS = {"high": 3}  # otherwise DEFAULT_DUE_DAYS
DEFAULT_DUE_DAYS = 7


def latest_month_end(day: dt.date) -> dt.date:
    """The latest calendar month end on or before ``day``."""
    if (day + dt.timedelta(days=1)).month != day.month:
        return day
    return day.replace(day=1) - dt.timedelta(days=1)


def current_findings(findings: list[dict], period_end: dt.date) -> list[dict]:
    """The findings of the report period ending E (a week end): week-grain findings (whatever their rule's
    cadence) and the other findings of weekly-cadence rules with period_end in [E−6, E]; monthly-cadence
    findings with period_end = the latest month end ≤ E; snapshot findings (catalog,
    CRM, store profile: exports that come every few weeks) of each rule's latest snapshot dated at most
    7 days after E (sellers download them the day after the week, or a few days later) and at
    most 4 weeks before it. A 同行对比 rule (S07) gives week findings from weekly 统计周期 rows and month
    findings from monthly ones: each is current at its own grain."""
    grace_days = 7
    week_start = period_end - dt.timedelta(days=6)
    month_end = latest_month_end(period_end)
    oldest_snapshot = period_end - dt.timedelta(days=27)
    newest_snapshot = period_end + dt.timedelta(days=grace_days)
    latest_snapshot: dict[str, dt.date] = {}
    for f in findings:
        end = f.get("period_end")
        if (
            f.get("period_grain") == "snapshot"
            and end is not None
            and oldest_snapshot <= end <= newest_snapshot
        ):
            rule = f.get("rule_id") or ""
            latest_snapshot[rule] = max(end, latest_snapshot.get(rule, end))
    out = []
    for f in findings:
        end = f.get("period_end")
        grain = f.get("period_grain")
        cadence = f.get("cadence")
        if grain == "snapshot":
            if end is not None and end == latest_snapshot.get(f.get("rule_id") or ""):
                out.append(f)
            continue
        if grain == "week":  # a monthly rule's finding at week grain (S07 from a weekly 同行对比)
            cadence = "weekly"
        weekly = cadence == "weekly" and end is not None and week_start <= end <= period_end
        if weekly or (cadence == "monthly" and end == month_end):
            out.append(f)
    return rank_findings(out)


def _rank_key(f: dict) -> tuple:
    impact = f.get("impact_usd")
    return (
        impact is None,
        -(impact or 0.0),
        SEVERITY_ORDER.get(f.get("severity"), 9),
        f.get("rule_id") or "",
        str(f.get("entity_id") or ""),
        f.get("finding_id") or "",
    )


def rank_findings(findings: list[dict]) -> list[dict]:
    """By impact_usd desc (unknown last), then severity (high > medium > low), then rule_id (then entity, id)."""
    return sorted(findings, key=_rank_key)


def due_date(severity: str | None, period_end: dt.date) -> dt.date:
    return period_end + dt.timedelta(days=DUE_DAYS.get(severity or "", DEFAULT_DUE_DAYS))


def owner_of(f: dict, lang: Lang) -> tuple[str, bool]:
    """The finding's owner from the data, else the catalogue role (True when it is the role)."""
    owner = (f.get("owner") or "").strip()
    if owner:
        return owner, False
    return lang.pair_text(f.get("owner_role_zh"), f.get("owner_role_en")), True


def action_plan(ranked: list[dict], period_end: dt.date, cap: int, lang: Lang) -> list[dict[str, Any]]:
    """The first ``cap`` findings as actions (one per rule × entity × action code)."""
    if cap < 0:
        raise ValueError("cap must be >= 0")
    seen: set[tuple] = set()
    plan: list[dict[str, Any]] = []
    for f in ranked:
        key = (f.get("rule_id"), f.get("entity_type"), f.get("entity_id"), f.get("action_code"))
        if key in seen:
            continue
        seen.add(key)
        if len(plan) >= cap:
            break
        owner, owner_is_role = owner_of(f, lang)
        plan.append(
            {
                "rank": len(plan) + 1,
                "action_id": None,
                "status": "not_recorded",
                "created_on": None,
                "carried_over": False,
                "finding_id": f.get("finding_id"),
                "rule_id": f.get("rule_id"),
                "stage": f.get("stage"),
                "severity": f.get("severity"),
                "title_zh": f.get("title_zh"),
                "title_en": f.get("title_en"),
                "entity_type": f.get("entity_type"),
                "entity_id": f.get("entity_id"),
                "entity_label": f.get("entity_label"),
                "metric": f.get("metric"),
                "value_at_creation": f.get("value"),
                "action_code": f.get("action_code"),
                "action_text_zh": f.get("action_text_zh"),
                "action_text_en": f.get("action_text_en"),
                "owner": owner,
                "owner_is_role": owner_is_role,
                "owner_role_zh": f.get("owner_role_zh"),
                "owner_role_en": f.get("owner_role_en"),
                "due_date": due_date(f.get("severity"), period_end),
                "impact_usd": f.get("impact_usd"),
                "impact_estimate": f.get("impact_estimate"),
                "impact_unit": f.get("impact_unit"),
            }
        )
    return plan


def ledger_items(plan: list[dict]) -> list[dict]:
    return [{k: item[k] for k in ITEM_COLUMNS} for item in plan]


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def apply_ledger_rows(plan: list[dict], rows: list[dict | None], created_on: dt.date) -> None:
    """Copy action_id / status / due date / created_on of the ledger rows (new or an open one already there)."""
    for item, row in zip(plan, rows, strict=True):
        if not row:
            continue
        item["action_id"] = row.get("action_id") or None
        item["status"] = row.get("status") or "open"
        item["due_date"] = _as_date(row.get("due_date")) or item["due_date"]
        created = _as_date(row.get("created_on"))
        item["created_on"] = created
        item["carried_over"] = created is not None and created < created_on
        if row.get("owner") and not (item.get("owner_is_role") and _is_role_text(row["owner"], item)):
            item["owner"] = row["owner"]  # a person the team wrote in; a role stays in the report's language


def _is_role_text(owner: str, item: dict) -> bool:
    """The ledger's owner is the catalogue role as some report wrote it (中文, English or both)."""
    zh, en = item.get("owner_role_zh") or "", item.get("owner_role_en") or ""
    return owner.strip() in {zh, en, f"{zh} / {en}"} - {""}


def match_open_actions(plan: list[dict], ledger: list[dict]) -> list[dict | None]:
    """For a report that does not record actions: the open ledger action of each item, if any."""
    open_rows = {
        (r.get("rule_id"), r.get("entity_type"), r.get("entity_id"), r.get("action_code")): r
        for r in ledger
        if r.get("status") == "open"
    }
    return [open_rows.get((i["rule_id"], i["entity_type"], i["entity_id"], i["action_code"])) for i in plan]
