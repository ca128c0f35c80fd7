"""An incremental build equals a full refresh.

A nightly build starts from a copy of the published warehouse and the incremental facts recompute
only the (account, period) slices with newer loads (delete+insert). This test lands a generated
account in two halves — the second half also re-issues an already-built week with other numbers —
builds after each, and then compares every fact, dimension, report and rule (fnd_) table, row for row, with a
full refresh of the same landing zone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import write_rows

from gscor.ingest import IngestOptions, ingest_paths
from gscor.ingest.readers import read_file
from gscor.paths import Home
from gscor.samplegen import generate
from gscor.warehouse import build

# fnd_: the rule tables, whose texts print sums (US$…): a float sum whose order differs between the two builds
# must not print another figure
COMPARED_PREFIXES = ("fct_", "dim_", "rpt_", "fnd_")


def _reissued_week(src: Path, out: Path) -> Path:
    """The same weekly product export with the first product's search impressions raised by 100."""
    sheet = read_file(src, src.read_bytes()).sheets[0]
    rows = [[c if c is not None else "" for c in r] for r in sheet.rows]
    header = next(i for i, r in enumerate(rows) if "搜索曝光次数" in [c.strip() for c in r])
    col = [c.strip() for c in rows[header]].index("搜索曝光次数")
    rows[header + 1][col] = str(int(float(rows[header + 1][col].replace(",", ""))) + 100)
    return write_rows(out, rows)


def _tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, int]:
    rows = con.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_catalog = ? AND table_schema = 'main' AND table_type = 'BASE TABLE'",
        [catalog],
    ).fetchall()
    names = sorted(r[0] for r in rows if r[0].startswith(COMPARED_PREFIXES))
    return {n: con.execute(f'SELECT count(*) FROM {catalog}.main."{n}"').fetchone()[0] for n in names}


def _comparable_columns(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Every column; floating-point ones rounded to 9 decimals.

    SQL leaves the order in which sum()/avg() add floating-point values undefined, and rows land in
    another physical order after an incremental run, so an average can differ in its last bit
    (0.5525 vs 0.5524999999999999). Anything beyond that is a real difference.
    """
    cols = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = 'inc' AND table_schema = 'main' AND table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return ", ".join(
        f'round("{c}", 9) AS "{c}"' if t in ("DOUBLE", "FLOAT", "REAL") else f'"{c}"' for c, t in cols
    )


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("incremental")
    home = Home(tmp / "home")
    inbox = tmp / "inbox"
    generate(inbox, accounts=1, weeks=10, seed=11, account_prefix="inc")
    files = sorted(p for p in inbox.rglob("*") if p.is_file())
    first, second = files[::2], files[1::2]
    week = next(p for p in first if p.name.startswith("Products-"))
    acct = week.relative_to(inbox).parts[0]
    reissued = _reissued_week(week, tmp / "reissue" / acct / f"{week.stem} (corrected).csv")

    def land(paths: list[Path]) -> None:
        outcomes = ingest_paths(paths, home, IngestOptions(account_id=acct))
        bad = [(o.path.name, o.message) for o in outcomes if o.status != "loaded"]
        assert not bad, bad

    land(first)
    full_first = build(home)
    assert full_first.success, full_first.message
    land([*second, reissued])
    inc = build(home)
    assert inc.success, inc.message
    inc_copy = tmp / "incremental.duckdb"
    shutil.copyfile(inc.published, inc_copy)
    full = build(home, full_refresh=True)
    assert full.success, full.message
    return {"first": full_first, "inc": inc, "full": full, "inc_db": inc_copy, "week": week}


def test_second_build_ran_incrementally(two_builds):
    assert two_builds["first"].mode == "full"
    assert two_builds["inc"].mode == "incremental"
    assert two_builds["full"].mode == "full"


def test_incremental_run_equals_full_refresh(two_builds):
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{two_builds['inc_db']}' AS inc (READ_ONLY)").fetchall()
        con.execute(f"ATTACH '{two_builds['full'].published}' AS fullb (READ_ONLY)").fetchall()
        inc, full = _tables(con, "inc"), _tables(con, "fullb")
        assert inc.keys() == full.keys()
        facts = [n for n in inc if n.startswith("fct_")]
        assert len(facts) >= 5, f"expected the GSCOR facts, found {sorted(inc)}"
        assert sum(inc[n] for n in facts) > 0
        differing = {}
        for name in inc:
            cols = _comparable_columns(con, name)
            only_inc = con.execute(
                f'SELECT count(*) FROM (SELECT {cols} FROM inc.main."{name}" '
                f'EXCEPT ALL SELECT {cols} FROM fullb.main."{name}")'
            ).fetchone()[0]
            only_full = con.execute(
                f'SELECT count(*) FROM (SELECT {cols} FROM fullb.main."{name}" '
                f'EXCEPT ALL SELECT {cols} FROM inc.main."{name}")'
            ).fetchone()[0]
            if only_inc or only_full or inc[name] != full[name]:
                differing[name] = (inc[name], full[name], only_inc, only_full)
        assert not differing, f"table: (rows inc, rows full, only in inc, only in full) {differing}"
    finally:
        con.close()


def test_the_reissued_week_replaced_the_first_load(two_builds):
    """The corrected file of an already-built week is newer: its numbers are the ones in the facts."""
    con = duckdb.connect(str(two_builds["inc_db"]), read_only=True)
    try:
        (files,) = con.execute(
            "SELECT list(DISTINCT source_file) FROM stg_alibaba__product_performance WHERE period_end = ?",
            [two_builds["week"].stem.removeprefix("Products-")],
        ).fetchone()
    finally:
        con.close()
    assert files == [f"{two_builds['week'].stem} (corrected).csv"]
