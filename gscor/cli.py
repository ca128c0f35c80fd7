"""The ``gscor`` command line.

Exit codes — ingest: 0 everything loaded (or already loaded); 1 some files
quarantined (the others loaded); 2 usage error. build: 0 built and published;
1 a node failed (the published warehouse is untouched); 2 usage error; 3 another
build of the same home is running.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .paths import Home

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="GSCOR metrics warehouse for Alibaba.com sellers."
)
# Not a terminal (CI, a log file): rich would fold tables to 80 columns.
console = Console(width=None if sys.stdout.isatty() else 160)
err_console = Console(stderr=True, width=None if sys.stderr.isatty() else 160)

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home", envvar="GSCOR_HOME", help="Folder holding data/, warehouse/, reports/ (default: .)"
    ),
]


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Export files or folders (e.g. data/inbox)")],
    account: Annotated[
        str | None, typer.Option("--account", help="Account id (default: folder under inbox/)")
    ] = None,
    period: Annotated[
        str | None, typer.Option("--period", help="START~END when the file has no title row")
    ] = None,
    grain: Annotated[
        str | None, typer.Option("--grain", help="day|week|month, with the date in the file name")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Land export files: detect the report type, validate, archive, write Parquet."""
    from .ingest.loader import IngestOptions, UsageError, expand, ingest_paths, parse_period_option

    if grain is not None and grain not in ("day", "week", "month"):
        err_console.print(f"[red]--grain {grain!r}: use day, week or month[/red]")
        raise typer.Exit(2)
    h = Home.resolve(home)
    try:
        options = IngestOptions(
            account_id=account, period=parse_period_option(period) if period else None, grain=grain
        )
        total = len(expand(paths))
    except UsageError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None

    with Progress(
        TextColumn("[bold]ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)

        def tick(outcome):
            progress.update(task, advance=1, description=outcome.path.name[:40])

        try:
            outcomes = ingest_paths(paths, h, options, progress=tick)
        except UsageError as exc:
            err_console.print(f"[red]{exc}[/red]")
            raise typer.Exit(2) from None

    table = Table(title=f"gscor ingest → {h.landing}")
    for col in ("file", "account", "status", "report type", "rows", "period", "notes"):
        table.add_column(col, overflow="fold")
    for o in outcomes:
        period_text = f"{o.period_start}~{o.period_end} ({o.period_grain})" if o.period_start else ""
        style = {"loaded": "green", "skipped": "dim", "quarantined": "red"}[o.status]
        notes = o.message if o.status != "loaded" else "; ".join(o.warnings)
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
            err_console.print(f"[red]quarantined[/red] {o.path}: {o.message}")
            for p in o.problems[:5]:
                err_console.print(f"    {p}")
            err_console.print(f"    → {h.quarantine / (o.sha256 or '')}/reason.json")
    raise typer.Exit(1 if counts["quarantined"] else 0)


@app.command()
def status(
    account: Annotated[str | None, typer.Option("--account", help="Only this account")] = None,
    home: HomeOption = None,
) -> None:
    """What is loaded: accounts × report types × periods, gaps, quarantined files."""
    from .status import coverage, quarantined

    h = Home.resolve(home)
    cov = coverage(h, account)
    if not cov:
        console.print(f"nothing loaded under {h.data}")
    else:
        table = Table(title=f"gscor status — {h.root}")
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
    q = quarantined(h, account)
    if q:
        qt = Table(title="quarantined (data/quarantine/<sha256>/reason.json)")
        for col in ("file", "account", "report type", "problems", "reason", "sha256"):
            qt.add_column(col, overflow="fold")
        for item in q:
            qt.add_row(
                item.file_name,
                item.account_id or "",
                item.report_type or "?",
                str(item.problem_count),
                item.message,
                item.sha256[:12],
            )
        console.print(qt)


def _print_ledger_problems(result) -> None:
    for problem in result.ledger_problems:
        err_console.print(
            f"[yellow]action ledger[/yellow] {problem} (row left out of the build, kept in the file)"
        )


@app.command()
def build(
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="Rebuild incremental facts from scratch")
    ] = False,
    select: Annotated[
        str | None, typer.Option("--select", "-s", help="dbt selection, e.g. 'stg_alibaba__orders+'")
    ] = None,
    home: HomeOption = None,
) -> None:
    """dbt build into a fresh DuckDB file; publish it as warehouse/gscor.duckdb only if all passed."""
    from .warehouse import BuildBusy
    from .warehouse import build as run_build

    h = Home.resolve(home)
    try:
        with console.status("dbt build …"):
            result = run_build(h, full_refresh=full_refresh, select=select)
    except BuildBusy as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(3) from None
    summary = (
        f"{result.nodes_passed} node(s) passed ({result.nodes_warned} with warnings), "
        f"{result.nodes_failed} failed, {result.nodes_skipped} skipped in {result.elapsed_seconds:.1f}s"
    )
    for w in result.warnings:
        err_console.print(f"[yellow]warn[/yellow] {w}")
    _print_ledger_problems(result)
    if not result.success:
        err_console.print(f"[red]build failed[/red]: {summary}")
        for f in result.failures[:20]:
            err_console.print(f"  [red]✗[/red] {f}")
        if result.message:
            err_console.print(result.message)
        err_console.print(f"published warehouse left as it was; dbt log: {result.log_path}")
        raise typer.Exit(1)
    console.print(f"[green]built[/green]: {summary}")
    if result.published:
        console.print(f"warehouse published: {result.published}")
        from .warehouse import headline

        for line in headline(result.published):
            console.print(f"  {line}")
    else:
        console.print(result.message)


def _parse_date(text: str | None, option: str):
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        err_console.print(f"[red]{option} {text!r}: use YYYY-MM-DD[/red]")
        raise typer.Exit(2) from None


def _write_reports(
    h: Home, accounts: list[str] | None, period_end, out: Path | None, lang: str, cap: int, record: bool
) -> list:
    """One report per account (default: every account of the published warehouse); prints where it went."""
    from .report import build_report, report_accounts

    results = []
    for acc in accounts or report_accounts(h):
        r = build_report(
            h, acc, period_end=period_end, out_dir=out, lang=lang, cap=cap, record_actions=record
        )
        results.append(r)
        for w in r.warnings:
            err_console.print(f"[yellow]warn[/yellow] {acc}: {w}")
        console.print(
            f"[green]report[/green] {acc} week ending {r.period_end}: {r.findings} finding(s), "
            f"{r.actions} action(s) ({r.actions_recorded} new in the ledger), "
            f"{r.rules_not_run} rule(s) lacking exports"
        )
        console.print(f"  {r.html}", soft_wrap=True)
    return results


LangOption = Annotated[str, typer.Option("--lang", help="zh, en or both (中文 first)")]


@app.command()
def report(
    account: Annotated[str | None, typer.Option("--account", help="Only this account (default: all)")] = None,
    period_end: Annotated[
        str | None, typer.Option("--period-end", help="Week end (Saturday) YYYY-MM-DD; default: latest week")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the reports (default: reports/)")
    ] = None,
    lang: LangOption = "both",
    cap: Annotated[int, typer.Option("--cap", help="Actions in the plan (ranked by impact)")] = 10,
    record: Annotated[
        bool, typer.Option("--record/--no-record", help="Append the plan to data/actions/<account>.csv")
    ] = True,
    home: HomeOption = None,
) -> None:
    """Findings, the ranked bilingual action plan and effect tracking: report.html, report.md,
    findings.json and action_plan.csv under reports/<account>/<period end>/."""
    if lang not in ("zh", "en", "both"):
        err_console.print(f"[red]--lang {lang!r}: use zh, en or both[/red]")
        raise typer.Exit(2)
    from .report import ReportError

    h = Home.resolve(home)
    end = _parse_date(period_end, "--period-end")
    try:
        _write_reports(h, [account] if account else None, end, out, lang, cap, record)
    except ReportError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None


@app.command()
def run(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Export files or folders (default: data/inbox)")
    ] = None,
    lang: LangOption = "both",
    home: HomeOption = None,
) -> None:
    """The nightly job: ingest the inbox, build and publish the warehouse, write every account's report.
    Exit 1 when a file was quarantined or the build failed (reports then come from the last published
    warehouse), 0 otherwise."""
    from .ingest.loader import IngestOptions, UsageError, ingest_paths
    from .warehouse import BuildBusy
    from .warehouse import build as run_build

    h = Home.resolve(home)
    status_code = 0
    try:
        outcomes = ingest_paths(paths or [h.inbox], h, IngestOptions())
    except UsageError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(2) from None
    counts = Counter(o.status for o in outcomes)
    console.print(
        f"ingest: loaded {counts['loaded']}, skipped {counts['skipped']} already loaded, "
        f"quarantined {counts['quarantined']}"
    )
    for o in outcomes:
        if o.status == "quarantined":
            status_code = 1
            err_console.print(f"[red]quarantined[/red] {o.path}: {o.message}")
    try:
        with console.status("dbt build …"):
            result = run_build(h)
    except BuildBusy as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(3) from None
    _print_ledger_problems(result)
    if result.success:
        console.print(f"build: {result.nodes_passed} node(s) passed in {result.elapsed_seconds:.1f}s")
    else:
        status_code = 1
        err_console.print(
            f"[red]build failed[/red] ({result.nodes_failed} failed); dbt log: {result.log_path}"
        )
        for f in result.failures[:20]:
            err_console.print(f"  [red]✗[/red] {f}")
    if not (h.warehouse / "gscor.duckdb").exists():
        err_console.print("[red]no published warehouse: no report written[/red]")
        raise typer.Exit(1)
    if not result.success:
        err_console.print("[yellow]reports below come from the last published warehouse[/yellow]")
    from .report import ReportError

    try:
        _write_reports(h, None, None, None, lang, 10, True)
    except ReportError as exc:
        err_console.print(f"[red]{exc}[/red]")
        raise typer.Exit(1) from None
    raise typer.Exit(status_code)


action_app = typer.Typer(no_args_is_help=True, help="The action ledger (data/actions/<account>.csv).")
app.add_typer(action_app, name="action")


@action_app.command("done")
def action_done(
    action_id: Annotated[str, typer.Argument(help="act_… id from action_plan.csv or the ledger")],
    date: Annotated[str | None, typer.Option("--date", help="Day it was done (default: today)")] = None,
    home: HomeOption = None,
) -> None:
    """Mark an action done; the next build measures its effect."""
    from .actions import mark_done

    h = Home.resolve(home)
    try:
        row = mark_done(h, action_id, _parse_date(date, "--date"))
    except (KeyError, ValueError) as exc:
        err_console.print(f"[red]{exc.args[0] if exc.args else exc}[/red]")
        raise typer.Exit(2) from None
    console.print(f"{row['action_id']} done on {row['done_date']}: {row['action_text_en']}")


@action_app.command("list")
def action_list(
    account: Annotated[str | None, typer.Option("--account", help="Only this account")] = None,
    home: HomeOption = None,
) -> None:
    """The ledger's actions with their status."""
    from .actions import read_ledger

    h = Home.resolve(home)
    folder = h.data / "actions"
    accounts = [account] if account else sorted(p.stem for p in folder.glob("*.csv"))
    table = Table(title="actions")
    for col in ("action_id", "account", "rule", "entity", "owner", "due", "status", "done"):
        table.add_column(col, overflow="fold")
    for acct in accounts:
        for r in read_ledger(h, acct):
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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
