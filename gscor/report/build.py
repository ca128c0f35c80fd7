"""``build_report``: the weekly report of one account from the published warehouse."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import gscor.actions
from gscor.errors import LedgerFileError, ReportError
from gscor.paths import Home
from gscor.report import data as warehouse_data
from gscor.report import plan as planning
from gscor.report import writers
from gscor.report.data import read_report_data
from gscor.report.i18n import Lang
from gscor.report.view import build_view

REPORT_FILES = ("report.html", "report.md", "findings.json", "action_plan.csv")


@dataclass
class ReportResult:
    account_id: str
    period_end: dt.date
    out_dir: Path
    html: Path
    markdown: Path
    findings_json: Path
    action_plan_csv: Path
    findings: int  # current findings of the period
    actions: int  # rows of the action plan (≤ cap)
    actions_recorded: int  # new rows appended to the ledger (0 when not recording)
    rules_not_run: int  # rules that could not run for lack of an export
    warnings: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return [self.html, self.markdown, self.findings_json, self.action_plan_csv]


def build_report(
    home: Home,
    account_id: str,
    period_end: dt.date | None = None,
    out_dir: str | os.PathLike | None = None,
    lang: str = "both",
    cap: int = 10,
    record_actions: bool = True,
    *,
    actions: ModuleType | Any | None = None,
    now: dt.datetime | None = None,
) -> ReportResult:
    """Write report.html, report.md, findings.json and action_plan.csv for one account and period end.

    Files go to ``<out_dir or home.reports>/<account_id>/<period_end>/``. The warehouse is read read-only
    (``<home>/warehouse/gscor.duckdb``). With ``record_actions`` the action plan is appended to the action
    ledger through ``gscor.actions.append_actions`` (an open action for the same rule × entity × action code
    is not added twice; its id is reused). ``actions`` replaces the gscor.actions module (tests); ``now``
    fixes the generation time (UTC).
    """
    h = home
    L = Lang(lang)
    if cap < 0:
        raise ReportError("cap must be >= 0")
    now = now or dt.datetime.now(dt.UTC)
    created_on = now.astimezone().date()  # the user's calendar day (ledger created_on)
    warnings: list[str] = []

    data = read_report_data(h.published_db, account_id, period_end)
    E = data.period_end
    if not data.funnel or data.funnel[-1]["period_end"] != E:
        warnings.append(f"no weekly funnel row ends on {E} for {account_id}: the summary has no current week")

    current = planning.current_findings(data.findings, E)
    plan = planning.action_plan(current, E, cap, L)

    def document() -> dict:
        effects = data.effects.rows
        return writers.findings_document(account_id, E, now, lang, cap, current, plan, data.coverage, effects)

    writers.validate_document(document())  # before anything is written (ledger included)

    out = Path(out_dir) if out_dir is not None else h.reports
    target = out / account_id / E.isoformat()
    try:  # before the ledger: a report that cannot be written records nothing
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(
            f"cannot write the report to {target}: {exc.strerror or exc}; the folder must be writable by "
            "this user (or pass --out DIR)"
        ) from None

    api = actions if actions is not None else gscor.actions
    ledger, problems = _checked_ledger(api, h, account_id)
    planning.align_with_ledger(plan, ledger)  # an open action that is the same problem keeps its id
    warnings += problems  # rows set aside (a typed id, a bad date …) or a ledger that cannot be read
    recorded, rows = 0, None
    if record_actions and plan:
        try:
            before = {r.get("action_id") for r in api.read_ledger(h, account_id)}
            rows = api.append_actions(
                h, account_id, planning.ledger_items(plan), created_on=created_on, report_period_end=E
            )
        except LedgerFileError:  # named in the problems above; the user's file is left as it is
            warnings.append("the action plan was not recorded: the ledger cannot be read")
        except OSError as exc:  # a read-only home: the report is still written
            warnings.append(
                f"the action plan was not recorded: cannot write the ledger under {h.actions} "
                f"({exc.strerror or exc}); the home must be writable by this user"
            )
    if rows is not None:
        planning.apply_ledger_rows(plan, list(rows), created_on)
        recorded = sum(1 for a in plan if a["action_id"] and a["action_id"] not in before)
    elif plan:
        planning.apply_ledger_rows(plan, planning.match_open_actions(plan, ledger), created_on)

    doc = document()
    # only the action plan changed since the full validation (ids, status, due dates from the ledger)
    writers.validate_document({**doc, "findings": [], "coverage": [], "effects": []})
    view = build_view(data, current, plan, L, cap, now)

    paths = {name: target / name for name in REPORT_FILES}
    writers.write_text(paths["findings.json"], writers.findings_json(doc))
    writers.write_text(paths["action_plan.csv"], writers.action_plan_csv(plan, account_id, E), bom=True)
    writers.write_text(paths["report.md"], writers.render_markdown(view, L))
    writers.write_text(paths["report.html"], writers.render_html(view, L))

    return ReportResult(
        account_id=account_id,
        period_end=E,
        out_dir=target,
        html=paths["report.html"],
        markdown=paths["report.md"],
        findings_json=paths["findings.json"],
        action_plan_csv=paths["action_plan.csv"],
        findings=len(current),
        actions=len(plan),
        actions_recorded=recorded,
        rules_not_run=len(doc["coverage"]),
        warnings=warnings,
    )


def _checked_ledger(api: Any, h: Home, account_id: str) -> tuple[list[dict], list[str]]:
    """The ledger rows the report may use and the problems of the others (gscor.actions.checked_ledger;
    a stand-in module without it: all its rows)."""
    check = getattr(api, "checked_ledger", None)
    return check(h, account_id) if check else (api.read_ledger(h, account_id), [])


def report_accounts(home: Home) -> list[str]:
    """Accounts with weekly data in the published warehouse (for ``gscor run``: one report each)."""
    return warehouse_data.report_accounts(home.published_db)
