"""The dbt warehouse: sources + staging over the landing zone, and `gscor build`'s atomic publish.

One home is shared by the module (each build costs ~10 s): the tests run in file order and each
one builds on the state the previous one left, as a nightly job would.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
import yaml
from conftest import REAL_KEYWORDS, REAL_PRODUCTS, REPO, read_rows, write_rows

from gscor.ingest import Ingester, IngestOptions
from gscor.paths import Home
from gscor.registry import load_registry
from gscor.warehouse import BuildResult, build, schema_file

T0 = dt.datetime(2026, 9, 21, 8, 0, 0)
PII = {"buyer_name", "buyer_email", "company_name", "contact_email"}


def ingest_at(home: Home, paths: list[Path], when: dt.datetime, account: str = "acme") -> None:
    ingester = Ingester(home, IngestOptions(account_id=account), now=when)
    for p in paths:
        out = ingester.ingest_file(p, account)
        assert out.status == "loaded", (p, out.message)


def query(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def products_variant(tmp: Path, name: str, column: str, row_delta: int = 0, value: str | None = None) -> Path:
    """The real products export with one cell of its first data row changed (so: other bytes)."""
    rows = read_rows(REAL_PRODUCTS)
    col = [c.strip() for c in rows[5]].index(column)
    cell = rows[6][col]
    rows[6][col] = value if value is not None else str(int(cell) + row_delta)
    return write_rows(tmp / name, rows)


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("wh")
    home = Home(tmp / "home")
    inquiries = write_rows(
        tmp / "inquiries-2026-09.csv",
        [
            ["询盘编号", "询盘时间", "买家名称", "买家邮箱", "买家国家", "产品ID"],
            ["Q1", "2026-09-14 10:00:00", "  ACME Trading ", " Buyer@Example.COM ", "US", "1600000000001"],
            ["Q2", "2026-09-15 11:30:00", "Zed Ltd", "zed@example.com", "DE", "1600000000002"],
        ],
    )
    ingest_at(home, [REAL_PRODUCTS, REAL_KEYWORDS, inquiries], T0)
    progress = []
    result = build(home, progress=progress.append)
    return {
        "home": home,
        "tmp": tmp,
        "first": result,
        "db": home.warehouse / "gscor.duckdb",
        "progress": progress,
    }


def test_build_publishes_every_staging_model(wh):
    r: BuildResult = wh["first"]
    assert r.success, (r.message, [str(f) for f in r.failures])
    assert r.published == wh["db"] and wh["db"].exists()
    assert r.nodes_failed == 0 and r.nodes_passed >= 18 + 2 * 18  # models + a PK pair each
    assert r.elapsed_seconds > 0
    assert not any(p.name.startswith(".building") for p in wh["home"].warehouse.iterdir())
    tables = {t for (t,) in query(wh["db"], "SELECT table_name FROM duckdb_tables()")}
    assert tables >= {f"stg_alibaba__{t}" for t in load_registry()}
    # self-contained (issue 12 item 8): no relation of the published file reads the landing zone
    assert query(wh["db"], "SELECT view_name FROM duckdb_views() WHERE sql ILIKE '%read_parquet%'") == []
    assert query(wh["db"], "SELECT current_database()") == [("gscor",)]  # same catalog dbt qualified with
    assert query(wh["db"], "SELECT nodes_passed FROM gscor_build_info")[0][0] == r.nodes_passed
    # report types with no loads read as empty tables, through their schema file
    assert query(wh["db"], "SELECT count(*) FROM stg_alibaba__orders") == [(0,)]
    assert schema_file(wh["home"], "orders").exists()


def test_build_reports_its_progress_and_timings_from_dbts_events(wh):
    r: BuildResult = wh["first"]
    steps = wh["progress"]
    assert [p.phase for p in steps][:2] == ["prepare", "dbt"]
    assert [p.phase for p in steps][-2:] == ["quality gate", "publish"]
    nodes = [p for p in steps if p.phase == "dbt" and p.total]
    total = nodes[-1].total
    assert total >= r.nodes_passed and all(p.total == total for p in nodes)
    assert nodes[-1].done == total  # every selected node ended (passed, or no-op for the exposures)
    assert [p.done for p in nodes] == sorted(p.done for p in nodes)
    assert any(p.current and p.current.startswith("stg_alibaba__") for p in nodes)
    assert set(r.timings) >= {"prepare", "dbt", "models", "tests", "seeds", "quality gate", "publish"}
    assert all(v >= 0 for v in r.timings.values()) and r.timings["dbt"] > 0


def test_real_totals_reconcile_landing_to_staging(wh):
    db, landing = wh["db"], wh["home"].landing
    prod = query(
        db,
        "SELECT count(*), sum(search_impressions), sum(search_clicks), sum(inquiries), count(DISTINCT product_id) "
        "FROM stg_alibaba__product_performance",
    )
    assert prod == [(365, 54_082, 630, 18, 365)]
    land = query(
        db,
        "SELECT count(*), sum(search_impressions), sum(search_clicks), sum(inquiries), count(DISTINCT product_id) "
        f"FROM read_parquet('{landing}/product_performance/account=acme/*.parquet')",
    )
    assert land == prod
    kw = query(
        db,
        "SELECT count(*), sum(impressions), count(DISTINCT source_row), count(*) FILTER (WHERE keyword = 'adidas') "
        "FROM stg_alibaba__keyword_performance",
    )
    assert kw == [(500, 26_483, 500, 2)]  # both `adidas` rows kept
    assert query(db, "SELECT DISTINCT period_start, period_end FROM stg_alibaba__keyword_performance") == [
        (dt.date(2026, 9, 13), dt.date(2026, 9, 19))
    ]


def test_pii_is_hashed_and_dropped(wh):
    cols = query(
        wh["db"],
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_name LIKE 'stg_alibaba__%'",
    )
    assert not [c for c in cols if c[1] in PII]
    assert {"buyer_name_key", "buyer_email_key"} <= {c for t, c in cols if t == "stg_alibaba__inquiries"}
    got = dict(query(wh["db"], "SELECT inquiry_id, buyer_email_key FROM stg_alibaba__inquiries"))
    assert got["Q1"] == hashlib.sha256(b"buyer@example.com").hexdigest()
    name = query(wh["db"], "SELECT buyer_name_key FROM stg_alibaba__inquiries WHERE inquiry_id = 'Q1'")[0][0]
    assert name == hashlib.sha256(b"acme trading").hexdigest()


READER = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1], read_only=True)
    q = (
        "SELECT CAST(built_at AS VARCHAR) || ' ' || (SELECT count(*) || ' ' || sum(search_impressions)"
        " FROM stg_alibaba__product_performance) FROM gscor_build_info"
    )
    print(con.execute(q).fetchall()[0][0], flush=True)
    sys.stdin.readline()  # hold the file open until the test says so
    print(con.execute(q).fetchall()[0][0], flush=True)
    """
)


def test_overlapping_load_latest_wins_while_a_reader_holds_the_file(wh):
    home, db = wh["home"], wh["db"]
    # the same week again, one value changed: other bytes, a later load
    second = products_variant(wh["tmp"], "Products-2026-09-19 (1).csv", "搜索曝光次数", row_delta=1000)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        before = reader.stdout.readline().strip()
        assert before, "the reader could not open the published warehouse"
        assert before.endswith(" 365 54082")
        # staging is tables inside the file (issue 12 item 8): an ingest does not change what the reader sees
        ingest_at(home, [second], T0 + dt.timedelta(hours=1))
        result = build(home)  # must not be blocked by the reader's read-only handle
        assert result.success, (result.message, [str(f) for f in result.failures])
        reader.stdin.write("\n")
        reader.stdin.flush()
        still = reader.stdout.readline().strip()
    finally:
        reader.kill() if reader.poll() is None else None
        reader.wait(timeout=10)
    assert still == before  # the reader keeps its consistent view of the file it opened
    assert query(db, "SELECT CAST(built_at AS VARCHAR) FROM gscor_build_info")[0][0] != before.split(" ")[0]

    sha = hashlib.sha256(second.read_bytes()).hexdigest()
    assert query(
        db,
        "SELECT count(*), sum(search_impressions), count(DISTINCT source_sha256), min(source_sha256) "
        "FROM stg_alibaba__product_performance",
    ) == [(365, 54_082 + 1000, 1, sha)]
    landed = query(db, f"SELECT count(*) FROM read_parquet('{home.landing}/product_performance/*/*.parquet')")
    assert landed == [(730,)]  # both loads stay in the landing zone; staging keeps the latest


def test_failed_build_leaves_the_published_file_untouched(wh):
    home, db = wh["home"], wh["db"]
    before = db.read_bytes()
    bad = products_variant(wh["tmp"], "Products-2026-09-19 (2).csv", "搜索曝光次数", value="-5")
    ingest_at(
        home, [bad], T0 + dt.timedelta(hours=2)
    )  # the ingester takes it; the not_negative test does not
    result = build(home)
    assert not result.success and result.published is None
    assert any(
        "not_negative_stg_alibaba__product_performance_search_impressions" in n for n in result.failed_nodes
    )
    assert "not_negative" in result.message
    assert db.read_bytes() == before
    assert not any(p.name.startswith(".building") for p in home.warehouse.iterdir())


# -- static checks of the dbt project (no build needed) -------------------------------------------


def _model_docs() -> dict[str, dict]:
    docs = {}
    for y in (REPO / "models").rglob("*.yml"):
        for m in (yaml.safe_load(y.read_text(encoding="utf-8")) or {}).get("models", []) or []:
            docs[m["name"]] = m
    return docs


def _tests_of(entries) -> list[str]:
    names = []
    for t in entries or []:
        names.append(t if isinstance(t, str) else next(iter(t)))
    return names


def test_every_model_is_documented_and_has_a_primary_key_test():
    docs = _model_docs()
    models = sorted((REPO / "models").rglob("*.sql"))
    assert len(models) >= 18
    for sql in models:
        m = docs.get(sql.stem)
        assert m, f"{sql.relative_to(REPO)} has no yml entry"
        assert (m.get("description") or "").strip(), f"{sql.stem}: no description"
        model_tests = _tests_of(m.get("data_tests") or m.get("tests"))
        unique_cols = [
            c["name"]
            for c in m.get("columns", [])
            if "unique" in _tests_of(c.get("data_tests") or c.get("tests"))
        ]
        pk_not_null = [
            c["name"]
            for c in m.get("columns", [])
            if c["name"] in unique_cols and "not_null" in _tests_of(c.get("data_tests") or c.get("tests"))
        ]
        assert pk_not_null or "unique_combination_of_columns" in model_tests, (
            f"{sql.stem}: no primary-key test"
        )
        for c in m.get("columns", []):
            assert (c.get("description") or "").strip(), f"{sql.stem}.{c['name']}: no description"


def test_sources_and_staging_match_the_registry():
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "gen_sources.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    sources = yaml.safe_load(
        (REPO / "models/staging/alibaba/_alibaba__sources.yml").read_text(encoding="utf-8")
    )
    tables = {t["name"] for t in sources["sources"][0]["tables"]}
    assert tables == set(load_registry())


def test_schema_file_matches_a_real_landing_file(wh):
    home = wh["home"]
    real = next((home.landing / "product_performance" / "account=acme").glob("*.parquet"))
    con = duckdb.connect()
    a = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{real}')").fetchall()
    b = con.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{schema_file(home, 'product_performance')}')"
    ).fetchall()
    assert [(r[0], r[1]) for r in a] == [(r[0], r[1]) for r in b]
    assert con.execute(f"SELECT count(*) FROM read_parquet('{schema_file(home, 'orders')}')").fetchall() == [
        (0,)
    ]


# -- the CLI ----------------------------------------------------------------------------------------


def test_cli_build_selects_publishes_and_reports_a_busy_home(wh):
    from typer.testing import CliRunner

    from gscor.cli import app

    home = wh["home"]
    runner = CliRunner()
    res = runner.invoke(
        app, ["build", "--home", str(home.root), "--select", "stg_alibaba__keyword_performance"]
    )
    assert res.exit_code == 0, res.output
    assert "warehouse published" in res.output
    # the headline: the latest week's funnel per account, unknown stages shown as unknown, not 0
    assert "acme week of 2026-09-13: 曝光 impressions" in res.output and "访客 visitors –" in res.output
    # not a terminal: no progress bar, a final timing summary
    assert re.search(
        r"time: prepare [\d.]+s, dbt [\d.]+s \(models [\d.]+s.*\), quality gate [\d.]+s, publish", res.output
    )
    with open(home.warehouse / ".build.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            res = runner.invoke(app, ["build", "--home", str(home.root)])
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
    assert res.exit_code == 3, res.output
    assert "another gscor build is running" in res.output


def test_cli_report_for_a_week_without_data_exits_1_and_writes_nothing(wh):
    from typer.testing import CliRunner

    from gscor.cli import app

    home = wh["home"]
    args = ["report", "--home", str(home.root), "--no-record", "--period-end", "2026-01-03"]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 1, res.output
    assert "no data for acme in the week ending 2026-01-03" in res.output
    assert "2026-09-19" in res.output  # the week it has
    assert not (home.reports / "acme" / "2026-01-03").exists()
