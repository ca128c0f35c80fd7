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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
