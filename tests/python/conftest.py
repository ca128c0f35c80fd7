"""Shared fixtures: the real exports in ../shared/samples/real, a fresh GSCOR home, landing readers.

``make test`` runs the suite on two pytest-xdist workers (``-n 2 --dist loadscope --no-loadscope-reorder``):

- every test of a module runs on ONE worker, so module-scoped fixtures are made once and tests that build on
  the state the previous test left still run in file order; the modules are handed out in the order of
  ``pytest_collection_modifyitems`` (own dbt builds first, the light modules on the session warehouse last).
- the session warehouse (``built_warehouse``) is built ONCE per run, in a background process started as soon as
  the collected tests need it; a test that needs it waits for it (``shared_once``: a file lock in the run's
  base temp), the others run meanwhile. Every worker reads the same home: read it only.
- dbt against the session warehouse: ``dbt_on_session_warehouse`` lets dbt re-use the build's parse.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import pytest

from gscor.ingest import IngestOptions, ingest_paths
from gscor.paths import Home

# the two xdist workers already keep both cores busy: ingests run in their process (the parallel path has its own
# test, tests/python/test_ingest_parallel.py)
os.environ.setdefault("GSCOR_INGEST_WORKERS", "1")

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

# ``make test`` runs ``pytest -n 2 --dist loadscope --no-loadscope-reorder``: xdist gives each worker whole
# modules, so a module-scoped fixture is made once and tests that build on the state the previous test left run
# in file order; it hands the modules out in the order below. (``--dist loadgroup`` cannot be used: pytest-xdist
# 3.8 names a group by rewriting ``item._nodeid``, which pytest 9 no longer reads.)

# Modules that run several dbt builds of their own (no session warehouse): they go first, beside the background
# build of the session warehouse. A new file with builds of its own may be added here.
OWN_BUILDS = (
    "test_incremental",
    "test_warehouse",
    "test_robust_ingest",
    "test_time_semantics",
    "test_plan_real",
    "test_samplegen",
    "test_pii",
    "test_build_kill",
)
# Modules on the session warehouse that run dbt or a browser: first among those that wait for it.
SESSION_HEAVY = ("test_dbt_docs", "test_dbt_unit_tests", "test_quality", "test_findings", "test_semantic")


def pytest_collection_modifyitems(config, items):
    """Order the run for two workers: the modules with dbt builds of their own first (they run while the session
    warehouse builds in the background, see ``pytest_collection_finish``), then the other modules that do not need
    the session warehouse, then those that do — the heavy ones first, the light ones last, where they even out
    the two workers' ends. Within a module the file order stays."""

    def rank(item) -> tuple[int, int]:
        module = _module(item)
        if "built_warehouse" not in item.fixturenames:
            return (0, 0 if module in OWN_BUILDS else 1)
        return (1, 0 if module in SESSION_HEAVY else 1)

    items.sort(key=rank)  # stable: file order within a rank; a module whose tests differ in rank stays whole:
    firsts: dict[str, tuple[int, int]] = {}  # every test of a module takes its first test's rank
    for item in items:
        firsts.setdefault(_module(item), rank(item))
    items.sort(key=lambda item: firsts[_module(item)])


def _module(item) -> str:
    return item.module.__name__ if getattr(item, "module", None) is not None else item.nodeid.split("::")[0]


def pytest_collection_finish(session):
    """Start building the session warehouse in a background process as soon as the collected tests are known to
    need it, so it builds while the tests that do not need it run (``built_warehouse`` waits for it)."""
    if session.config.option.collectonly or not any(
        "built_warehouse" in i.fixturenames for i in session.items
    ):
        return
    _start_background(session.config, "built_warehouse")


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

# what shared_once can make in a background process (python -c "import conftest; conftest._background(…)")
BACKGROUND: dict[str, Callable[[Path], object]] = {}


def shared_once(tmp_path_factory, name: str, make: Callable[[Path], T]) -> T:
    """``make(folder)`` run once per test run, whichever worker asks first (or the background process that
    ``pytest_collection_finish`` started); the others wait and get the same (pickled) value. A failure is kept
    and raised again on every worker that asks, with the original traceback."""
    return _shared(shared_dir(tmp_path_factory), name, make)


def _shared(root: Path, name: str, make: Callable[[Path], T], locked: bool = False) -> T:
    done, failed = root / f"{name}.pickle", root / f"{name}.failed"
    with contextlib.nullcontext() if locked else _locked(root / f"{name}.lock"):
        if done.exists():
            return pickle.loads(done.read_bytes())
        if failed.exists():
            log = root / f"{name}.log"
            pytest.fail(
                f"{name} failed (made once for the whole run):\n{failed.read_text(encoding='utf-8')}"
                + (f"\nits output: {log}" if log.exists() else "")
            )
        folder = root / name
        shutil.rmtree(folder, ignore_errors=True)  # left by a background process that was stopped midway
        folder.mkdir()
        try:
            value = make(folder)
        except BaseException:
            failed.write_text(traceback.format_exc(), encoding="utf-8")
            raise
        done.write_bytes(pickle.dumps(value))
        return value


def _start_background(config, name: str) -> None:
    """Start ``python -c "conftest._background(…)"`` holding ``<name>.lock`` from the start (it inherits the
    locked file), so a worker that asks for the value before it is made waits for it instead of making it too."""
    root = shared_dir(config._tmp_path_factory)
    try:  # one background process per run, whichever worker collects first
        os.close(os.open(root / f"{name}.started", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return
    fd = os.open(root / f"{name}.lock", os.O_CREAT | os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        code = (
            f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import conftest; "
            f"conftest._background({name!r}, {str(root)!r})"
        )
        with open(root / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-c", code], cwd=REPO, stdout=log, stderr=subprocess.STDOUT, pass_fds=(fd,)
            )
        (root / f"{name}.pid").write_text(str(proc.pid), encoding="utf-8")
    finally:
        os.close(fd)  # the lock stays held by the child's copy of the file until it exits


def _background(name: str, root: str) -> None:
    """The background process (it holds the lock): make and pickle the value, or record the failure."""
    with contextlib.suppress(BaseException):  # the failure is in <name>.failed, for the workers to raise
        _shared(Path(root), name, BACKGROUND[name], locked=True)


def pytest_sessionfinish(session):
    """The run is over (on xdist's controller: every worker is done): a background process still running was
    not needed after all (-x, a deselected use): stop it."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    for pid_file in shared_dir(session.config._tmp_path_factory).glob("*.pid"):
        with contextlib.suppress(OSError, ValueError):
            pid = int(pid_file.read_text(encoding="utf-8"))
            if b"conftest._background" in Path(f"/proc/{pid}/cmdline").read_bytes():
                os.kill(pid, signal.SIGTERM)


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


BACKGROUND["built_warehouse"] = _build_session_warehouse


@contextlib.contextmanager
def dbt_on_session_warehouse(built_warehouse: dict, target: Path):
    """For running dbt on (a copy of) the session warehouse the way its build ran dbt, so that dbt re-uses the
    build's parse (partial parsing: ~6 s of CPU instead of a ~21 s full parse of the project).

    dbt keeps a parse only for the same profile, and the profile holds the DuckDB path: the copy goes to the
    build's own path (``home.building_db``; the session home is never built again), one test at a time (a
    lock), and ``target`` starts with the build's ``partial_parse.msgpack``. Yields ``(db, env)``: the copy and
    the environment the build gave dbt (``gscor.warehouse.dbt_env``: paths relative to the home, so run dbt
    with ``cwd=home.root``); the copy is removed afterwards. (So a test that copies the session home
    leaves out ``warehouse/.building*``: ``shutil.copytree(…, ignore=shutil.ignore_patterns(".building*"))``.)
    """
    from gscor.warehouse import dbt_env

    home: Home = built_warehouse["home"]
    with _locked(home.warehouse / ".session-dbt.lock"):
        db = home.building_db
        shutil.rmtree(db.parent, ignore_errors=True)
        db.parent.mkdir(parents=True)
        shutil.copyfile(built_warehouse["db"], db)
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(built_warehouse["target"] / "partial_parse.msgpack", target / "partial_parse.msgpack")
        env = dbt_env(home, db)  # run dbt with cwd=home.root, as the build does
        try:
            yield db, env
        finally:
            shutil.rmtree(db.parent, ignore_errors=True)


def project_and_warehouse_copy(built_warehouse: dict, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the dbt project (without the venv, git, build output and data at its root) and of the session
    warehouse, for a test that edits a seed and rebuilds the user's way: ``(project, db)``."""
    from gscor.warehouse import PROJECT_DIR

    project = tmp_path / "project"
    skip = {".venv", ".git", "target", "logs", "data", "warehouse", "reports"}  # at the root only
    shutil.copytree(
        PROJECT_DIR,
        project,
        ignore=lambda folder, names: [n for n in names if Path(folder) == PROJECT_DIR and n in skip],
    )
    db = tmp_path / "wh" / "gscor.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_warehouse["db"], db)
    return project, db


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
