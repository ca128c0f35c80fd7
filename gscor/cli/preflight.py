"""Checks at the CLI edge before work that would only produce empty output: nothing to build, no
warehouse or no data for a report's account and week. Each raises a gscor error naming the reason and
the command that fixes it."""

from __future__ import annotations

import datetime as dt

import duckdb

from ..errors import NothingLoaded, ReportError
from ..paths import Home
from ..status import loaded_accounts

INGEST_HINT = "run `gscor ingest data/inbox` (or `gscor ingest FILE --account ID`) first"


def check_build(home: Home) -> None:
    """``gscor build`` needs at least one loaded export: otherwise dbt would build ~1,000 empty nodes."""
    if not loaded_accounts(home):
        raise NothingLoaded(f"nothing loaded yet under {home.data}: {INGEST_HINT}")
    from ..ingest.consistency import verify

    verify(home)  # the manifest and the landing zone agree, or dbt is not run


def check_report(home: Home, accounts: list[str] | None, period_end: dt.date | None) -> None:
    """A report needs a published warehouse, an account with weekly data and, for ``--period-end``,
    data in that week (else the report would be empty)."""
    db = home.published_db
    if not db.exists():
        if not loaded_accounts(home):
            raise NothingLoaded(f"nothing loaded yet under {home.data}: {INGEST_HINT}, then `gscor build`")
        raise ReportError(f"no published warehouse at {db}: run `gscor build` first")
    if period_end is None or period_end.weekday() != 5:
        return  # the latest week of each account; a date that is no Saturday is the report's to refuse
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return  # busy or damaged: the report says which
    try:
        rows = con.execute(
            "select account_id, min(period_end), max(period_end), bool_or(period_end = ?) "
            "from fct_funnel_weekly group by 1 order by 1",
            [period_end],
        ).fetchall()
    except duckdb.Error:
        return  # an old warehouse without the mart: the report names what it lacks
    finally:
        con.close()
    weeks = {acct: (first, last, has) for acct, first, last, has in rows}
    for acct in accounts or list(weeks):
        if acct not in weeks:
            continue  # an unknown account: the report lists the known ones
        first, last, has = weeks[acct]
        if not has:
            held = (
                f"it has data for the week ending {first} only"
                if first == last
                else f"its weekly data runs from the week ending {first} to the week ending {last}"
            )
            raise ReportError(
                f"no data for {acct} in the week ending {period_end}: {held}; pick another --period-end "
                f"or load that week's exports (`gscor status --account {acct}` shows the gaps)"
            )
