"""What the commands print: tables and summaries on stdout, problems on stderr (rich)."""

from __future__ import annotations

import sys
from collections import Counter

from rich.console import Console
from rich.table import Table

from ..paths import Home

# Not a terminal (CI, a log file): rich would fold tables to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


def error(message: object) -> None:
    err_console.print(f"[red]{message}[/red]")


def warn(message: object) -> None:
    err_console.print(f"[yellow]warn[/yellow] {message}")


def ingest_outcomes(outcomes: list, home: Home) -> None:
    """One row per file, the totals line, and for each quarantined file its problems and reason.json."""
    table = Table(title=f"gscor ingest → {home.landing}")
    for col in ("file", "account", "status", "report type", "rows", "period", "notes"):
        table.add_column(col, overflow="fold")
    for o in outcomes:
        period_text = f"{o.period_start}~{o.period_end} ({o.period_grain})" if o.period_start else ""
        style = {"loaded": "green", "skipped": "dim", "quarantined": "red"}[o.status]
        notes = o.details.get("summary", o.message) if o.status != "loaded" else "; ".join(o.warnings)
        table.add_row(
            o.path.name,
            o.account_id or "",
            f"[{style}]{o.status}[/{style}]",
            o.report_type or "",
            f"{o.rows:,}",
            period_text,
            notes,
        )
    console.print(table)
    counts = Counter(o.status for o in outcomes)
    rows = sum(o.rows for o in outcomes if o.status == "loaded")
    dups = sum(o.duplicate_keys for o in outcomes if o.status == "loaded")
    types = sorted({o.report_type for o in outcomes if o.status == "loaded" and o.report_type})
    console.print(
        f"loaded {counts['loaded']} file(s), {rows:,} rows ({len(types)} report types); "
        f"skipped {counts['skipped']} already loaded; quarantined {counts['quarantined']}; "
        f"duplicate natural keys kept: {dups}"
    )
    for o in outcomes:
        if o.status == "quarantined":
            if "hints" in o.details:  # unrecognised: what it looks like, then the closest report types
                err_console.print(f"[red]quarantined[/red] {o.path}: {o.details['summary']}")
                label = "closest report types:" if o.details.get("closest") else ""
                if label:
                    err_console.print(f"    {label}")
                for hint in o.details["hints"]:
                    err_console.print(f"    • {hint}" if label else f"    {hint}")
            else:
                err_console.print(f"[red]quarantined[/red] {o.path}: {o.message}")
                for p in o.problems[:5]:
                    err_console.print(f"    {p}")
            err_console.print(f"    → {home.quarantine / (o.sha256 or '')}/reason.json")


WALL_PHASES = ("prepare", "dbt", "quality gate", "publish")


def timing_line(timings: dict[str, float]) -> str:
    """``time: prepare 1.2s, dbt 61.0s (models 40.1s, tests 30.2s, seeds 0.9s summed over threads), …``"""
    nodes = ", ".join(f"{k} {v:.1f}s" for k, v in timings.items() if k not in WALL_PHASES)
    parts = []
    for phase in WALL_PHASES:
        if phase in timings:
            extra = f" ({nodes} summed over threads)" if phase == "dbt" and nodes else ""
            parts.append(f"{phase} {timings[phase]:.1f}s{extra}")
    return "time: " + ", ".join(parts)


def where_time_went(result) -> str | None:
    """``nodes: 114 models, 181 tests, 14 seeds; slowest: fct_findings 1.7s, …`` (dbt's run_results.json)."""
    counts = getattr(result, "node_counts", None) or {}
    slowest = getattr(result, "slowest", None) or []
    if not counts and not slowest:
        return None
    line = "nodes: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
    if getattr(result, "all_tests", False):
        line += " (--all-tests: every single data test)"
    if slowest:
        line += "; slowest: " + ", ".join(f"{name} {sec:.1f}s" for name, sec in slowest)
    return line


def build_result(result) -> None:
    """Warnings, set-aside ledger rows, then either the failing nodes or what was published."""
    summary = (
        f"{result.nodes_passed} node(s) passed ({result.nodes_warned} with warnings), "
        f"{result.nodes_failed} failed, {result.nodes_skipped} skipped in {result.elapsed_seconds:.1f}s"
    )
    for note in getattr(result, "notes", []):
        warn(note)
    for w in result.warnings:
        warn(w)
    for problem in result.ledger_problems:
        err_console.print(
            f"[yellow]action ledger[/yellow] {problem} (row left out of the build, kept in the file)"
        )
    if not result.success:
        err_console.print(f"[red]build failed[/red]: {summary}")
        if result.timings:
            err_console.print(timing_line(result.timings))
        if where := where_time_went(result):
            err_console.print(where)
        for f in result.failures[:20]:
            err_console.print(f"  [red]✗[/red] {f}")
        if result.message:
            err_console.print(result.message)
        err_console.print(f"published warehouse left as it was; dbt log: {result.log_path}")
        return
    console.print(f"[green]built[/green]: {summary}")
    if result.quality is not None:
        console.print(f"quality gate: {result.quality}")
    if result.timings:
        console.print(timing_line(result.timings))
    if where := where_time_went(result):
        console.print(where)
    if result.published:
        from ..warehouse import headline

        console.print(f"warehouse published: {result.published}")
        for line in headline(result.published):
            console.print(f"  {line}")
    else:
        console.print(result.message)


def report_result(r) -> None:
    for w in r.warnings:
        warn(f"{r.account_id}: {w}")
    console.print(
        f"[green]report[/green] {r.account_id} week ending {r.period_end}: {r.findings} finding(s), "
        f"{r.actions} action(s) ({r.actions_recorded} new in the ledger), "
        f"{r.rules_not_run} rule(s) lacking exports"
    )
    console.print(f"  {r.html}", soft_wrap=True)


def status_tables(home: Home, cov: list, quarantined: list, missing: list | None = None) -> None:
    if not cov:
        console.print(f"nothing loaded under {home.data}")
    else:
        table = Table(title=f"gscor status — {home.root}")
        for col in ("account", "report type", "grain", "files", "rows", "covered", "gaps"):
            table.add_column(col, overflow="fold")
        for c in cov:
            gaps = ", ".join(f"{a}~{b}" if a != b else str(a) for a, b in c.gaps[:6])
            if len(c.gaps) > 6:
                gaps += f" (+{len(c.gaps) - 6} more)"
            table.add_row(
                c.account_id,
                c.report_type,
                c.grains,
                str(c.files),
                f"{c.rows:,}",
                f"{c.first_day}~{c.last_day}",
                f"[yellow]{gaps}[/yellow]" if gaps else "none",
            )
        console.print(table)
    if quarantined:
        qt = Table(title="quarantined (data/quarantine/<sha256>/reason.json)")
        for col in ("file", "account", "report type", "problems", "reason", "sha256"):
            qt.add_column(col, overflow="fold")
        for item in quarantined:
            qt.add_row(
                item.file_name,
                item.account_id or "",
                item.report_type or "?",
                str(item.problem_count),
                item.message,
                item.sha256[:12],
            )
        console.print(qt)
    if missing:
        missing_exports_table(missing)


def superseded_table(items: list) -> None:
    """Loads outranked by a newer load of the same account × report type × period (the newest export wins)."""
    if not items:
        return
    table = Table(title="superseded loads (the newest export of a period wins)")
    for col in ("account", "report type", "period", "file", "winner", "reason"):
        table.add_column(col, overflow="fold")
    for s in items:
        table.add_row(s.account_id, s.report_type, s.period, s.file_name, s.winner, s.reason)
    console.print(table)


def _rules(rules) -> str:
    return ", ".join(f"{r.rule_id} {r.title_en}" for r in rules)


def missing_exports_table(missing: list) -> None:
    """Per account, each export type not loaded yet: its names, where to download it, what it unlocks."""
    table = Table(title="missing exports — load them to run more rules (seeds/rule_catalogue.csv)")
    for col in ("account", "export", "名称 / name", "download from", "unlocks"):
        table.add_column(col, overflow="fold")
    for m in missing:
        rt = m.report_type
        parts = []
        if m.unlocks:
            parts.append(f"{len(m.unlocks)} rule(s): {_rules(m.unlocks)}")
        grouped: dict[tuple[str, ...], list] = {}
        for rule, others in m.with_others:
            grouped.setdefault(tuple(others), []).append(rule)
        for others, rules in grouped.items():
            parts.append(f"with {' + '.join(others)} also: {_rules(rules)}")
        unlocks = "; ".join(parts) if parts else "[dim]no rule (marts and analyses only)[/dim]"
        table.add_row(m.account_id, rt.report_type, f"{rt.name_zh} / {rt.name_en}", rt.origin, unlocks)
    console.print(table)


def action_table(rows_by_account: dict[str, list[dict]]) -> None:
    table = Table(title="actions")
    for col in ("action_id", "account", "rule", "entity", "owner", "due", "status", "done"):
        table.add_column(col, overflow="fold")
    for acct, rows in rows_by_account.items():
        for r in rows:
            table.add_row(
                r["action_id"],
                acct,
                r["rule_id"],
                r["entity_label"] or r["entity_id"],
                r["owner"] or "",
                str(r["due_date"] or ""),
                r["status"],
                str(r["done_date"] or ""),
            )
    console.print(table)
