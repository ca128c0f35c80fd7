"""Current findings of a period and the ranked, capped action plan: one action per problem (problems.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gscor.actions import ITEM_COLUMNS
from gscor.report import problems as problems_mod
from gscor.report.i18n import Lang

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


def rank_findings(findings: list[dict]) -> list[dict]:
    """By impact_usd desc (unknown last), then severity (high > medium > low), then size (impact_estimate);
    rule, entity and finding id only break exact ties (a stable order)."""
    return sorted(findings, key=problems_mod.finding_rank_key)


def due_date(severity: str | None, period_end: dt.date) -> dt.date:
    return period_end + dt.timedelta(days=DUE_DAYS.get(severity or "", DEFAULT_DUE_DAYS))


def owner_of(f: dict, lang: Lang) -> tuple[str, bool]:
    """The finding's owner from the data, else the catalogue role (True when it is the role)."""
    owner = (f.get("owner") or "").strip()
    if owner:
        return owner, False
    return lang.pair_text(f.get("owner_role_zh"), f.get("owner_role_en")), True


def problem_item(p: problems_mod.Problem, lang: Lang) -> dict[str, Any]:
    """A problem as an item of the plan (the lead finding's fields, the problem's entities, texts, impact)."""
    f = p.lead
    owner, owner_is_role = owner_of(f, lang)
    zh, en = p.action_texts()
    rule, etype, eid, code = p.key
    return {
        "rank": None,
        "action_id": None,
        "status": "not_recorded",
        "created_on": None,
        "carried_over": False,
        "finding_id": f.get("finding_id"),
        "rule_id": rule,
        "stage": f.get("stage"),
        "severity": p.severity,
        "title_zh": f.get("title_zh"),
        "title_en": f.get("title_en"),
        "entity_type": etype,
        "entity_id": eid,
        "entity_label": p.entity_summary() if p.grouped or p.entity_count > 1 else f.get("entity_label"),
        "metric": f.get("metric"),
        "value_at_creation": f.get("value"),
        "action_code": code,
        "action_text_zh": zh,
        "action_text_en": en,
        "owner": owner,
        "owner_is_role": owner_is_role,
        "owner_role_zh": f.get("owner_role_zh"),
        "owner_role_en": f.get("owner_role_en"),
        "impact_usd": p.impact_usd,
        "impact_estimate": p.impact_estimate,
        "impact_unit": f.get("impact_unit"),
        "problem_key": "|".join(str(x or "") for x in p.key),
        "group_key": p.group_key,
        "family": (p.family or {}).get("id"),
        "family_title_zh": (p.family or {}).get("title_zh"),
        "family_title_en": (p.family or {}).get("title_en"),
        "rules": p.rules,
        "entity_count": p.entity_count,
        "entities": p.entities(),
        "excluded_entities": list(p.excluded),
        **p.impact_texts(),
        "ledger_key": None,  # set by align_with_ledger: an open ledger action that is this problem
        "alternate_keys": p.alternate_keys,
    }


def action_plan(ranked: list[dict], period_end: dt.date, cap: int, lang: Lang) -> list[dict[str, Any]]:
    """The first ``cap`` problems (problems.py: findings of one rule × period × group_key, families merged,
    contradicted entities left out) as actions, ranked by impact, severity, size."""
    if cap < 0:
        raise ValueError("cap must be >= 0")
    plan: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for p in problems_mod.build_problems(ranked):
        if p.key in seen:  # two problems with one ledger key (e.g. one rule's findings of two periods)
            continue
        seen.add(p.key)
        if len(plan) >= cap:
            break
        item = problem_item(p, lang)
        item["rank"] = len(plan) + 1
        item["due_date"] = due_date(item["severity"], period_end)
        plan.append(item)
    return plan


def _item_key(item: dict) -> tuple:
    return item.get("ledger_key") or (
        item.get("rule_id"),
        item.get("entity_type"),
        item.get("entity_id"),
        item.get("action_code"),
    )


def _row_key(r: dict) -> tuple:
    return (r.get("rule_id"), r.get("entity_type"), r.get("entity_id"), r.get("action_code"))


def align_with_ledger(plan: list[dict], ledger: list[dict]) -> None:
    """Give an item the key of an OPEN ledger action that is the same problem under another key (an action
    recorded per entity before grouping, or by the other rule of a family), so the action is carried over
    instead of opened twice. Its own key wins when it is open; otherwise the oldest matching open row."""
    open_rows = [r for r in ledger if r.get("status") == "open"]
    open_keys = {_row_key(r) for r in open_rows}
    taken: set[tuple] = set()
    for item in plan:
        own = _item_key(item)
        if own in open_keys:
            taken.add(own)
            continue
        alts = set(map(tuple, item.get("alternate_keys") or []))
        candidates = sorted(
            (r for r in open_rows if _row_key(r) in alts and _row_key(r) not in taken),
            key=lambda r: (str(r.get("created_on") or ""), str(r.get("action_id") or "")),
        )
        if candidates:
            item["ledger_key"] = _row_key(candidates[0])
            taken.add(item["ledger_key"])


def ledger_items(plan: list[dict]) -> list[dict]:
    """The ledger columns of each item; its key columns from :func:`align_with_ledger` when it matched."""
    out = []
    for item in plan:
        row = {k: item[k] for k in ITEM_COLUMNS}
        if item.get("ledger_key"):
            row.update(
                zip(("rule_id", "entity_type", "entity_id", "action_code"), item["ledger_key"], strict=True)
            )
        out.append(row)
    return out


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
    align_with_ledger(plan, ledger)
    open_rows = {_row_key(r): r for r in ledger if r.get("status") == "open"}
    return [open_rows.get(_item_key(i)) for i in plan]
