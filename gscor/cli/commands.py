"""The commands: options, the home resolved once, the steps ``run`` shares with ``ingest``/``build``/``report``.

A :class:`gscor.errors.GscorError` reaching a command is printed and becomes its ``exit_code``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from ..errors import EXIT_FAILED, EXIT_OK, EXIT_USAGE, GscorError, ReportError
from ..paths import Home
from . import preflight, render
from .render import console, err_console


def _plain_params(params: list) -> list:
    """Help without Python type names: typer prints a type column (``<bool>``, ``<str>``, ``<list[Path]>``)
    unless a parameter has a metavar. Flags and arguments (whose metavar is their name) show none;
    options show their metavar, upper-cased name when they set none."""
    for p in params:
        if getattr(p, "is_flag", False) or p.param_type_name == "argument":
            p.display_type_rich = lambda ctx: None
        elif p.metavar is None:
            p.metavar = (p.name or "value").upper()
    return params


class PlainCommand(TyperCommand):
    def get_params(self, ctx):
        return _plain_params(super().get_params(ctx))


class PlainGroup(TyperGroup):  # commands take cls=PlainCommand (typer does not inherit it from the group)
    def get_params(self, ctx):
        return _plain_params(super().get_params(ctx))


app = typer.Typer(
    cls=PlainGroup,
    add_completion=False,
    no_args_is_help=True,
    help="GSCOR metrics warehouse for Alibaba.com sellers.",
)
action_app = typer.Typer(
    cls=PlainGroup, no_args_is_help=True, help="The action ledger (data/actions/<account>.csv)."
)
app.add_typer(action_app, name="action")

HomeOption = Annotated[
    Path | None,
    typer.Option(
        "--home",
        envvar="GSCOR_HOME",
        metavar="DIR",
        help="Folder holding data/, warehouse/, reports/ (default: .)",
    ),
]
LangOption = Annotated[
    str, typer.Option("--lang", metavar="zh|en|both", help="中文, English or both (中文 first)")
]
AccountOption = Annotated[str | None, typer.Option("--account", metavar="ID", help="Only this account")]


def version_text() -> str:
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for dist in ("dbt-core", "dbt-duckdb", "duckdb"):
        with contextlib.suppress(PackageNotFoundError):
            parts.append(f"{dist} {version(dist)}")
    return f"gscor {__version__}" + (f" ({', '.join(parts)})" if parts else "")


def _print_version(value: bool) -> None:
    if value:
        console.print(version_text(), highlight=False)
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """GSCOR metrics warehouse for Alibaba.com sellers: ingest the back-office exports, build the
    warehouse, write the weekly report."""


@contextlib.contextmanager
def exits():
    """gscor's own errors end the command with their exit code, printed in red (no traceback)."""
    try:
        yield
    except GscorError as exc:
        render.error(exc)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:  # a read-only home, a full disk, a file where a folder should be …
        render.error(os_error_text(exc))
        raise typer.Exit(EXIT_FAILED) from None


def os_error_text(exc: OSError) -> str:
    where = f" {exc.filename}" if exc.filename else ""
    text = f"cannot use{where}: {exc.strerror or exc}"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        text += " (the home and its folders must be writable by this user)"
    return text


def usage_error(message: str) -> typer.Exit:
    render.error(message)
    return typer.Exit(EXIT_USAGE)


def parse_date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise usage_error(f"{option} {text!r}: use YYYY-MM-DD") from None


# -- the steps ``run`` shares ----------------------------------------------------------------------------------


def ingest_step(paths: list[Path], home: Home, options, progress: bool = True) -> int:
    """Ingest, print the outcome; EXIT_FAILED when a file was quarantined. Raises UsageError first."""
    from ..ingest.loader import expand, ingest_paths

    if not progress:
        outcomes = ingest_paths(paths, home, options)
    else:
        with Progress(
            TextColumn("[bold]ingest"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=len(expand(paths)))

            def tick(outcome):
                bar.update(task, advance=1, description=outcome.path.name[:40])

            outcomes = ingest_paths(paths, home, options, progress=tick)
    render.ingest_outcomes(outcomes, home)
    return EXIT_FAILED if any(o.status == "quarantined" for o in outcomes) else EXIT_OK


def build_step(
    home: Home,
    full_refresh: bool = False,
    select: str | None = None,
    all_tests: bool = False,
    target: str | None = None,
) -> int:
    """Build and publish, print the result; EXIT_FAILED when a node or the quality gate failed.

    Raises NothingLoaded (dbt not run) when the home has no loaded export. On a terminal a progress bar
    follows dbt's nodes (done / total, the node running, elapsed); elsewhere (CI logs) only the summary."""
    from ..warehouse import build as run_build

    preflight.check_build(home)
    if not err_console.is_terminal:
        result = run_build(home, full_refresh=full_refresh, select=select, all_tests=all_tests, target=target)
    else:
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]build[/bold] {task.fields[phase]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
            console=err_console,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=None, phase="prepare")

            def show(p) -> None:
                current = (p.current or "")[:48] if p.phase == "dbt" else ""
                bar.update(task, total=p.total, completed=p.done, phase=p.phase, description=current)

            result = run_build(
                home,
                full_refresh=full_refresh,
                select=select,
                progress=show,
                all_tests=all_tests,
                target=target,
            )
    render.build_result(result)
    return EXIT_OK if result.success else EXIT_FAILED


def report_step(
    home: Home, accounts: list[str] | None, period_end, out: Path | None, lang: str, cap: int, record: bool
) -> None:
    """One report per account (default: every account of the published warehouse). Raises (nothing
    written) when there is no warehouse, no account with weekly data, or no data in ``period_end``'s week."""
    from ..report import build_report, report_accounts

    preflight.check_report(home, accounts, period_end)
    accounts = accounts or report_accounts(home)
    if not accounts:
        raise ReportError(
            f"the warehouse {home.published_db} holds no weekly data for any account: the loaded exports "
            "give no week of the funnel (`gscor status` shows what is loaded and what is missing)"
        )
    failed = []
    for acc in accounts:  # one account's failure never stops the others' reports
        try:
            result = build_report(
                home, acc, period_end=period_end, out_dir=out, lang=lang, cap=cap, record_actions=record
            )
        except GscorError as exc:
            if len(accounts) == 1:
                raise
            render.error(f"{acc}: {exc}")
            failed.append(acc)
            continue
        render.report_result(result)
    if failed:
        raise ReportError(f"{len(failed)} of {len(accounts)} report(s) not written: {', '.join(failed)}")


# -- commands --------------------------------------------------------------------------------------------------


@app.command(cls=PlainCommand)
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="FILE_OR_FOLDER", help="Export files or folders (e.g. data/inbox)"),
    ] = None,
    account: Annotated[
        str | None,
        typer.Option("--account", metavar="ID", help="Account id (default: the folder under inbox/)"),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", metavar="START~END", help="The period, when the file has no title row"),
    ] = None,
    grain: Annotated[
        str | None,
        typer.Option(
            "--grain", metavar="day|week|month", help="The period ends on the date in the file name"
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The day the lists (orders, inquiries, customers …) were downloaded, when the file name has "
            "no date: their coverage runs to it (default: the file name's date, else today)",
        ),
    ] = None,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help="Make the manifest and the landing zone agree: re-ingest a missing landing file from the "
            "archive, drop an orphan",
        ),
    ] = False,
    home: HomeOption = None,
) -> None:
    """Land export files: detect the report type, validate, archive, write Parquet."""
    from ..ingest.loader import IngestOptions, parse_period_option

    if not paths and not repair:
        raise usage_error("give the export files or folders to ingest (e.g. data/inbox), or --repair")
    if grain is not None and grain not in ("day", "week", "month"):
        raise usage_error(f"--grain {grain!r}: use day, week or month")
    h = Home.resolve(home)
    with exits():
        options = IngestOptions(
            account_id=account,
            period=parse_period_option(period) if period else None,
            grain=grain,
            as_of=parse_date(as_of, "--as-of"),
        )
        code = EXIT_OK
        if repair:
            from ..ingest.consistency import check
            from ..ingest.consistency import repair as repair_home

            for line in repair_home(h):
                console.print(line, soft_wrap=True)
            left = check(h)
            for m in left:
                render.error(m)
            code = EXIT_FAILED if left else EXIT_OK
            if not left:
                console.print("the manifest and the landing zone agree")
        if paths:
            code = max(code, ingest_step(paths, h, options))
    raise typer.Exit(code)


@app.command(cls=PlainCommand)
def status(
    account: AccountOption = None,
    home: HomeOption = None,
) -> None:
    """What is loaded: accounts × report types × periods, gaps, quarantined files; per account the
    exports still missing, where each is downloaded and which rules it unlocks."""
    from ..status import coverage, missing_exports, quarantined, superseded

    h = Home.resolve(home)
    render.status_tables(h, coverage(h, account), quarantined(h, account), missing_exports(h, account))
    render.superseded_table(superseded(h, account))
    from ..ingest.consistency import check

    for m in check(h):
        render.warn(f"{m} — `gscor ingest --repair` mends it")


@app.command(cls=PlainCommand)
def build(
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="Rebuild incremental facts from scratch")
    ] = False,
    select: Annotated[
        str | None,
        typer.Option(
            "--select", "-s", metavar="SELECTION", help="dbt selection, e.g. 'stg_alibaba__orders+'"
        ),
    ] = None,
    home: HomeOption = None,
    all_tests: Annotated[
        bool,
        typer.Option(
            "--all-tests",
            help="Run every single data test (one dbt node each) instead of one consolidated check per model",
        ),
    ] = False,
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            metavar="TARGET",
            help="profiles.yml target: local (DuckDB, the default) or spark (dbt-spark; docs/scale-out.md)",
        ),
    ] = None,
) -> None:
    """dbt build into a fresh DuckDB file, then the quality gate; publish it as warehouse/gscor.duckdb only
    if all passed."""
    h = Home.resolve(home)
    with exits():
        code = build_step(h, full_refresh=full_refresh, select=select, all_tests=all_tests, target=target)
    raise typer.Exit(code)


@app.command(cls=PlainCommand)
def report(
    account: Annotated[
        str | None, typer.Option("--account", metavar="ID", help="Only this account (default: all)")
    ] = None,
    period_end: Annotated[
        str | None,
        typer.Option(
            "--period-end", metavar="YYYY-MM-DD", help="Week end (a Saturday); default: the latest week"
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", metavar="DIR", help="Folder for the reports (default: reports/)")
    ] = None,
    lang: LangOption = "both",
    cap: Annotated[
        int, typer.Option("--cap", metavar="N", help="Actions in the plan (ranked by impact)")
    ] = 10,
    record: Annotated[
        bool, typer.Option("--record/--no-record", help="Append the plan to data/actions/<account>.csv")
    ] = True,
    home: HomeOption = None,
) -> None:
    """Findings, the ranked bilingual action plan and effect tracking: report.html, report.md,
    findings.json and action_plan.csv under reports/<account>/<period end>/."""
    if lang not in ("zh", "en", "both"):
        raise usage_error(f"--lang {lang!r}: use zh, en or both")
    h = Home.resolve(home)
    end = parse_date(period_end, "--period-end")
    if out is not None and out.exists() and not out.is_dir():
        raise usage_error(f"--out {out} is a file, not a folder: give a folder for the reports")
    with exits():
        report_step(h, [account] if account else None, end, out, lang, cap, record)


@app.command(cls=PlainCommand)
def run(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(metavar="FILE_OR_FOLDER", help="Export files or folders (default: data/inbox)"),
    ] = None,
    lang: LangOption = "both",
    home: HomeOption = None,
) -> None:
    """The nightly job: ingest the inbox, build and publish the warehouse, write every account's report.
    Exit 1 when a file was quarantined or the build failed (reports then come from the last published
    warehouse), 0 otherwise."""
    from ..ingest.loader import IngestOptions

    h = Home.resolve(home)
    with exits():
        code = ingest_step(paths or [h.inbox], h, IngestOptions(), progress=False)
        built = build_step(h)
        code = max(code, built)
        if not h.published_db.exists():
            render.error("no published warehouse: no report written")
            raise typer.Exit(EXIT_FAILED)
        if built != EXIT_OK:
            err_console.print("[yellow]reports below come from the last published warehouse[/yellow]")
        report_step(h, None, None, None, lang, 10, True)
    raise typer.Exit(code)


@action_app.command("done", cls=PlainCommand)
def action_done(
    action_id: Annotated[
        str, typer.Argument(metavar="ACTION_ID", help="act_… id from action_plan.csv or the ledger")
    ],
    date: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Day it was done (default: today)")
    ] = None,
    home: HomeOption = None,
) -> None:
    """Mark an action done; the next build measures its effect."""
    from ..actions import mark_done

    h = Home.resolve(home)
    with exits():
        row = mark_done(h, action_id, parse_date(date, "--date"))
    console.print(f"{row['action_id']} done on {row['done_date']}: {row['action_text_en']}")


@action_app.command("list", cls=PlainCommand)
def action_list(
    account: AccountOption = None,
    home: HomeOption = None,
) -> None:
    """The ledger's actions with their status; below, the rows set aside (the build leaves them out) and
    the ledgers that cannot be read, each with its reason."""
    from ..actions import checked_ledger, read_ledger
    from ..actions.schema import ID_RE

    h = Home.resolve(home)
    files = [p for p in h.actions.glob("*.csv") if not p.name.startswith((".", "~$"))]
    accounts = [account] if account else sorted(p.stem for p in files)
    rows, problems = {}, []
    with exits():
        for acct in accounts:
            if not ID_RE.match(acct):
                problems.append(f"{acct}.csv: the file name is not an account id (<account_id>.csv)")
                continue
            _, found = checked_ledger(h, acct)
            problems += found
            with contextlib.suppress(GscorError):  # unreadable: its reason is in ``problems``
                rows[acct] = read_ledger(h, acct)
        render.action_table(rows)
    for p in problems:
        render.warn(p)
