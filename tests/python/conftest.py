"""Shared fixtures: the real exports in ../shared/samples/real, a fresh GSCOR home, landing readers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest

from gscor.ingest import IngestOptions, ingest_paths
from gscor.paths import Home

REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "samples" / "real"
REAL_PRODUCTS = REAL / "Products-2026-09-19.csv"
REAL_KEYWORDS = REAL / "getKeywords-2026-09-19.csv"


def pytest_sessionstart(session):
    missing = [p for p in (REAL_PRODUCTS, REAL_KEYWORDS) if not p.exists()]
    if missing:
        raise pytest.UsageError(
            f"the real sample exports are missing: {missing} (expected ../shared beside the repo)"
        )


WAREHOUSE_ACCOUNTS, WAREHOUSE_WEEKS, WAREHOUSE_SEED = 2, 16, 7


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> dict:
    """One warehouse for the whole session, built the way a user builds it: 2 generated accounts ×
    16 weeks (seed 7; ids ``wh-01``, ``wh-02``) plus the two real exports as account ``real``, ingested
    and ``gscor build``-ed. Read it only (``read_only=True``); tests that change data make their own home.

    Returns ``home``, ``db`` (the published DuckDB file), ``planted`` (the generator's list) and ``build``.
    """
    from gscor.samplegen import generate
    from gscor.warehouse import build

    root = tmp_path_factory.mktemp("built")
    h = Home(root / "home")
    inbox = h.data / "inbox"
    planted = generate(inbox, WAREHOUSE_ACCOUNTS, WAREHOUSE_WEEKS, WAREHOUSE_SEED, account_prefix="wh")
    outcomes = ingest_paths([inbox], h, IngestOptions())
    outcomes += ingest([REAL_PRODUCTS, REAL_KEYWORDS], h, account="real")
    bad = [(o.path.name, o.message) for o in outcomes if o.status != "loaded"]
    assert not bad, bad
    result = build(h)
    assert result.success, result.message
    return {"home": h, "db": result.published, "planted": planted, "build": result}


def query_db(db: Path, sql: str, params=None) -> list[tuple]:
    """Run one query on a DuckDB file opened read-only."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


@pytest.fixture
def home(tmp_path: Path) -> Home:
    return Home(tmp_path / "home")


def ingest(paths, home: Home, account: str | None = "acme", **options):
    return ingest_paths([Path(p) for p in paths], home, IngestOptions(account_id=account, **options))


def landed(
    home: Home, report_type: str, where: str = "true", order: str = "source_file, source_row"
) -> list[dict]:
    files = sorted((home.landing / report_type).glob("*/*.parquet"))
    if not files:
        return []
    con = duckdb.connect()
    cur = con.execute(
        f"SELECT * FROM read_parquet($f, union_by_name=true, hive_partitioning=false) WHERE {where} ORDER BY {order}",
        {"f": [str(f) for f in files]},
    )
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def read_rows(path: Path) -> list[list[str]]:
    """The cells of a (UTF-8) CSV export, as text."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(
    path: Path, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ",", crlf: bool = False
):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    return path


def reason(home: Home, outcome) -> dict:
    return json.loads((home.quarantine / outcome.sha256 / "reason.json").read_text(encoding="utf-8"))
