"""Shared fixtures: the real exports in ../shared/samples/real, a fresh GSCOR home, landing readers.

``make test`` runs the suite on two pytest-xdist workers (``-n 2 --dist loadgroup``). Two rules keep that safe
and cheap (see ``pytest_collection_modifyitems`` and ``shared_once`` below):

- every test of a module runs on ONE worker (its ``xdist_group`` is the module), so module-scoped fixtures are
  built once and tests that build on the state the previous test left still run in file order. A module can
  set ``xdist_group`` itself; the modules in ``SPLITTABLE`` (no module-scoped state) let their tests spread.
- the session warehouse (``built_warehouse``) is built ONCE per run, by the first worker that needs it; the
  other worker waits for it and reads the same home (``shared_once``: a file lock in the run's base temp).
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import json
import os
import pickle
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

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


# -- parallel runs (pytest-xdist) ------------------------------------------------------------------------------

# Modules whose tests share no module-scoped fixture and no state between tests: under ``--dist loadgroup`` their
# tests may run on either worker. Every other module is one xdist group (below), so a new test file is safe by
# default; add it here only when its tests are independent and spreading them helps the balance.
SPLITTABLE = frozenset(
    {
        "test_bad_inputs",
        "test_build_kill",
        "test_cli",
        "test_findings",
        "test_formats",
        "test_idempotency",
        "test_report_page",
        "test_robust_ingest",
    }
)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the marks (it runs the same hook on each worker)
def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__ if item.module is not None else item.nodeid.split("::")[0]
        if item.get_closest_marker("xdist_group") is None and module not in SPLITTABLE:
            item.add_marker(pytest.mark.xdist_group(module))


def shared_dir(tmp_path_factory) -> Path:
    """A folder every worker of this run sees: the run's base temp (xdist workers get a folder inside it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextlib.contextmanager
def _locked(path: Path):
    with open(path, "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


T = TypeVar("T")


def shared_once(tmp_path_factory, name: str, make: Callable[[Path], T]) -> T:
    """``make(folder)`` run once per test run, whichever worker asks first; the others wait and get the same
    (pickled) value. A failure is kept and raised again on every worker that asks, with the original traceback."""
    root = shared_dir(tmp_path_factory)
    done, failed = root / f"{name}.pickle", root / f"{name}.failed"
    with _locked(root / f"{name}.lock"):
        if done.exists():
            return pickle.loads(done.read_bytes())
        if failed.exists():
            pytest.fail(f"{name} failed on another worker:\n{failed.read_text(encoding='utf-8')}")
        folder = root / name
        folder.mkdir()
        try:
            value = make(folder)
        except BaseException:
            failed.write_text(traceback.format_exc(), encoding="utf-8")
            raise
        done.write_bytes(pickle.dumps(value))
        return value


# -- the session warehouse -------------------------------------------------------------------------------------

WAREHOUSE_ACCOUNTS, WAREHOUSE_WEEKS, WAREHOUSE_SEED = 2, 16, 7


def _build_session_warehouse(root: Path) -> dict:
    from gscor.samplegen import generate
    from gscor.warehouse import build

    h = Home(root / "home")
    inbox = h.data / "inbox"
    planted = generate(inbox, WAREHOUSE_ACCOUNTS, WAREHOUSE_WEEKS, WAREHOUSE_SEED, account_prefix="wh")
    outcomes = ingest_paths([inbox], h, IngestOptions())
    outcomes += ingest([REAL_PRODUCTS, REAL_KEYWORDS], h, account="real")
    bad = [(o.path.name, o.message) for o in outcomes if o.status != "loaded"]
    assert not bad, bad
    result = build(h)
    assert result.success, result.message
    target = h.warehouse / ".dbt" / "target"  # gscor build's default --target-path
    assert (target / "manifest.json").exists() and (target / "semantic_manifest.json").exists()
    return {"home": h, "db": result.published, "planted": planted, "build": result, "target": target}


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory) -> dict:
    """One warehouse for the whole run (built once even with several xdist workers), built the way a user
    builds it: 2 generated accounts × 16 weeks (seed 7; ids ``wh-01``, ``wh-02``) plus the two real exports
    as account ``real``, ingested and ``gscor build``-ed. Read it only (``read_only=True``); tests that change
    data make their own home (or copy this one).

    Returns ``home``, ``db`` (the published DuckDB file), ``planted`` (the generator's list), ``build`` (the
    BuildResult) and ``target``: dbt's target folder of that build, whose manifest.json and
    semantic_manifest.json are what ``dbt parse`` of the project writes (read them, do not parse again).
    """
    return shared_once(tmp_path_factory, "built_warehouse", _build_session_warehouse)


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
