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
