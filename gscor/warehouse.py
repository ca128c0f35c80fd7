"""``gscor build``: run ``dbt build`` into a fresh DuckDB file and publish it atomically.

1. Take the build lock ``warehouse/.build.lock`` (one build per home at a time),
   stop a dbt an earlier, killed build left running (``stop_orphaned_dbt``) and
   remove temp files a crashed build left behind.
2. Write the zero-row schema Parquet of every report type
   (``data/landing/<type>/account=_schema/schema.parquet``, types from the
   registry and ``coerce.DUCKDB_TYPES``) so a type with no loads yet reads as
   an empty table instead of failing ``read_parquet`` on an empty glob. (Not
   ``_schema.parquet``, its name before: Spark skips files whose name starts
   with ``_`` or ``.``, so on Spark a type without loads had no file at all.)
   ``_schema`` can never be an account id and no manifest record points at it,
   so it never counts as a load.
   Then stage the action ledgers (``gscor.actions.stage_ledgers``): the typed
   ``data/landing/_actions/ledger.parquet`` dbt's source ``actions.ledger``
   reads, always written; bad ledger rows are set aside, never stopping the build.
3. Run ``dbt build`` in a subprocess (project and profiles dir = the repo root)
   against ``warehouse/.building/gscor.duckdb`` — an empty file for a full
   build (the lock makes the path private to this build; keeping it fixed keeps
   dbt's partial parsing valid, and keeping the name ``gscor.duckdb`` keeps the
   catalog name dbt qualifies relations with the same once published); for a
   ``select`` build a copy of the published warehouse, so the models not
   selected survive. dbt logs JSON lines (``--log-format json``) on stdout; :class:`DbtProgress` reads
   them as they come (nodes done / total, the node running, seconds per resource type) for the
   progress bar and the timing summary.
4. Only if every node passed, the quality gate: the Great Expectations checkpoint
   (gscor.quality, suites in ``gx/gscor_checkpoint.yml``: what the dbt tests do not
   check) on the built file. A failing expectation fails the build like a failing
   dbt test (each one listed as a failure ``gx:<suite>``).
5. Only if the gate passed: record ``gscor_build_info``, checkpoint, and
   ``os.replace`` the file over ``warehouse/gscor.duckdb``. A reader that holds
   the published file open (read-only) keeps the old inode and its consistent
   view until it reopens; it never blocks the build, because the build never
   opens the published file for writing. Any failure deletes the temp file and
   leaves the published file byte for byte as it was. The publish refuses while
   a BI client holds the file read-write and moves a WAL such a client left
   aside (see "publish" below).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .actions import stage_ledgers
from .errors import BuildBusy
from .ingest.coerce import DUCKDB_TYPES, sql_literal
from .paths import Home
from .registry import LINEAGE_TYPES, load_registry

PROJECT_DIR = Path(__file__).resolve().parents[1]  # dbt_project.yml and profiles.yml live at the repo root
SCHEMA_ACCOUNT = "_schema"
SCHEMA_FILE = "schema.parquet"  # a name Spark reads: it skips files named _… or .… (Hadoop's hidden files)
PASSED = {"success", "pass"}  # run_results statuses of a node that passed (warn counts as passed, reported)
NOTHING_TO_RUN = {"no-op"}  # exposures (and other nodes with nothing to execute) report no-op: not a failure


@dataclass
class NodeFailure:
    unique_id: str
    status: str
    message: str

    def __str__(self) -> str:
        return f"{self.unique_id} [{self.status}]: {self.message}"


@dataclass
class BuildResult:
    success: bool
    published: Path | None  # the published warehouse, None when nothing was published
    nodes_passed: int = 0
    nodes_failed: int = 0
    nodes_warned: int = 0
    nodes_skipped: int = 0
    failures: list[NodeFailure] = field(default_factory=list)
    warnings: list[NodeFailure] = field(default_factory=list)
    mode: str = "full"  # full | incremental (started from a copy of the published warehouse)
    elapsed_seconds: float = 0.0
    message: str = ""  # dbt's own error when it stopped before running any node
    log_path: Path | None = None
    ledger_problems: list[str] = field(default_factory=list)  # action-ledger rows left out (gscor.actions)
    notes: list[str] = field(default_factory=list)  # e.g. a dbt left running by a killed build, stopped
    quality: str | None = None  # the quality gate's summary line (None: it did not run)
    # seconds: wall-clock "prepare", "dbt", "quality gate", "publish"; dbt's own per-node execution time
    # summed by resource type ("models", "tests", "seeds", …: across threads, so they may exceed "dbt")
    timings: dict[str, float] = field(default_factory=dict)
    node_counts: dict[str, int] = field(default_factory=dict)  # nodes run by kind ("models", "tests", …)
    slowest: list[tuple[str, float]] = field(default_factory=list)  # (node name, seconds), slowest first
    all_tests: bool = False  # True: the single data tests ran (--all-tests), not consolidated_checks

    @property
    def failed_nodes(self) -> list[str]:
        return [f.unique_id for f in self.failures]


# -- dbt's JSON log: progress and timings ---------------------------------------------------------------------

# Events that end a node (dbt-core 1.11 names; each carries data.node_info.unique_id and the node's status)
RESULT_EVENTS = {
    "LogModelResult",
    "LogTestResult",
    "LogSeedResult",
    "LogSnapshotResult",
    "LogNodeResult",
    "LogNodeNoOpResult",
    "LogFreshnessResult",
    "SkippingDetails",
    "LogSkipBecauseError",
}
TIMED_KINDS = {"model": "models", "test": "tests", "unit_test": "unit tests", "seed": "seeds"}


@dataclass
class BuildProgress:
    """What the build is doing, for a progress bar: ``phase`` is "prepare", "dbt", "quality gate" or
    "publish"; during "dbt", ``done`` of ``total`` nodes (``total`` None until dbt has parsed the project)
    and ``current``, the node started last that is still running."""

    phase: str
    done: int = 0
    total: int | None = None
    current: str | None = None


class DbtProgress:
    """Reads dbt's ``--log-format json`` lines one at a time.

    ``total`` comes from ``ConcurrencyLine`` (the nodes selected) or any start/result line's ``total``;
    a node is done when a result event names it (each unique id counts once); ``running`` holds the started
    nodes not yet done. ``seconds`` sums the nodes' ``execution_time`` by kind ("models", "tests", …).
    ``tail`` keeps the last messages (JSON or not) for dbt's own error when it stops before any node.
    """

    def __init__(self, tail: int = 15):
        self.total: int | None = None
        self.done_ids: set[str] = set()
        self.running: dict[str, str] = {}  # unique_id -> node name, in start order
        self.statuses: Counter[str] = Counter()
        self.seconds: Counter[str] = Counter()
        self.tail: deque[str] = deque(maxlen=tail)
        self.first_node_at: float | None = None

    @property
    def done(self) -> int:
        return len(self.done_ids)

    @property
    def current(self) -> str | None:
        return next(reversed(self.running.values()), None)

    def feed(self, line: str) -> bool:
        """Take one line of dbt's stdout; True when the progress changed (a total, a start, a result)."""
        line = line.strip()
        if not line:
            return False
        try:
            event = json.loads(line)
            info, data = event["info"], event.get("data") or {}
            name = info["name"]
        except (ValueError, KeyError, TypeError):
            self.tail.append(line)  # not a dbt event (a Python warning, a traceback)
            return False
        if info.get("msg"):
            self.tail.append(str(info["msg"]))
        if name == "ConcurrencyLine" and data.get("node_count") is not None:
            self.total = int(data["node_count"])
            return True
        node = data.get("node_info") or {}
        uid = node.get("unique_id")
        if not uid:
            return False
        if self.total is None and data.get("total"):
            self.total = int(data["total"])
        if name == "LogStartLine":
            self.first_node_at = self.first_node_at or time.monotonic()
            if uid not in self.done_ids:
                self.running[uid] = node.get("node_name") or uid
            return True
        if name in RESULT_EVENTS:
            self.running.pop(uid, None)
            if uid in self.done_ids:
                return False
            self.done_ids.add(uid)
            self.statuses[str(node.get("node_status") or data.get("status") or "")] += 1
            kind = TIMED_KINDS.get(str(node.get("resource_type")))
            if kind and data.get("execution_time"):
                self.seconds[kind] += float(data["execution_time"])
            return True
        return False

    def snapshot(self) -> BuildProgress:
        return BuildProgress("dbt", self.done, self.total, self.current)


def schema_file(home: Home, report_type: str) -> Path:
    return home.landing / report_type / f"account={SCHEMA_ACCOUNT}" / SCHEMA_FILE


def schema_select(report_type: str) -> str:
    """A zero-row SELECT with exactly the columns and types a landing file of this type has."""
    entry = load_registry()[report_type]
    cols = [f"CAST(NULL AS {sql_type}) AS {n}" for n, sql_type in LINEAGE_TYPES.items()]
    if entry.filename_fields:
        cols.append("CAST(NULL AS VARCHAR) AS plan_name")
    for c in entry.columns:
        cols.append(f"CAST(NULL AS {DUCKDB_TYPES[c.type]}) AS {c.name}")
        if c.type == "money":
            cols.append(f"CAST(NULL AS VARCHAR) AS {c.name}_currency")
    return f"SELECT {', '.join(cols)} WHERE false"


def write_schema_files(home: Home) -> list[Path]:
    """(Re)write the zero-row schema Parquet of every registry type; unchanged files are left alone."""
    written = []
    con = duckdb.connect()
    try:
        for report_type in load_registry():
            target = schema_file(home, report_type)
            target.parent.mkdir(parents=True, exist_ok=True)
            # the old name (_schema.parquet), left by an older gscor: one schema file per type
            (target.parent / f"{SCHEMA_ACCOUNT}.parquet").unlink(missing_ok=True)
            tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            con.execute(
                f"COPY ({schema_select(report_type)}) TO {sql_literal(str(tmp))} (FORMAT parquet)"
            ).fetchall()
            if target.exists() and target.read_bytes() == tmp.read_bytes():
                tmp.unlink()
                continue
            os.replace(tmp, target)
            written.append(target)
    finally:
        con.close()
    return written


PARSE_CACHE_ENV = "GSCOR_PARSE_CACHE"  # a folder; default <project>/target/parse-cache


def parse_cache(target_name: str = "local") -> Path:
    """Where builds share dbt's parse of the project (``partial_parse.msgpack``) across homes.

    dbt re-uses a parse only when the profile and the env vars the project reads render the same, which
    ``dbt_env`` makes true in every home: a build in a fresh home starts from the last build's parse (a
    20–25 s full parse becomes ~2 s). dbt still checks every project file's checksum, the vars, the profile
    and those env vars against what the parse saw and re-parses what differs: a stale or foreign cache
    costs time, never correctness."""
    root = os.environ.get(PARSE_CACHE_ENV) or PROJECT_DIR / "target" / "parse-cache"
    return Path(root) / f"partial_parse-{target_name}.msgpack"


def seed_parse(target: Path, target_name: str = "local") -> None:
    """Start a target folder that has no parse of its own from the shared one (best effort)."""
    mine, shared = target / "partial_parse.msgpack", parse_cache(target_name)
    if mine.exists() or not shared.exists():
        return
    with contextlib.suppress(OSError):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shared, mine)


def keep_parse(target: Path, target_name: str = "local") -> None:
    """Offer this build's parse to the next fresh home (atomic replace; best effort: a read-only project or
    a full disk only costs the next build a full parse)."""
    mine, shared = target / "partial_parse.msgpack", parse_cache(target_name)
    if not mine.exists():
        return
    with contextlib.suppress(OSError):
        shared.parent.mkdir(parents=True, exist_ok=True)
        tmp = shared.with_name(f".{shared.name}.{os.getpid()}")
        shutil.copyfile(mine, tmp)
        os.replace(tmp, shared)


def dbt_env(home: Home, db: Path) -> dict[str, str]:
    """The environment ``gscor build`` gives dbt, which runs in the home's folder (``cwd=home.root``).

    The paths are relative to the home, so the profile (the DuckDB path) and the env vars the sources read
    render the same in every home and dbt re-uses its parse (``parse_cache``). The published file holds no
    path: staging models are tables, no view reads the landing zone."""
    return {
        **os.environ,
        "GSCOR_HOME": ".",
        "GSCOR_DUCKDB_PATH": os.path.relpath(db, home.root),
        "GSCOR_LANDING_DIR": os.path.relpath(home.landing, home.root),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
    }


def _dbt_executable() -> list[str]:
    exe = Path(sys.executable).with_name("dbt")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("dbt")
    if found:
        return [found]
    return [sys.executable, "-c", "from dbt.cli.main import cli; cli()"]


@contextlib.contextmanager
def _build_lock(warehouse: Path):
    warehouse.mkdir(parents=True, exist_ok=True)
    with open(warehouse / ".build.lock", "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildBusy(f"another gscor build is running in {warehouse}") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _read_results(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("results", [])
    except (OSError, ValueError):
        return []


PROJECT_INPUTS = ("dbt_project.yml", "models", "macros", "seeds", "tests/dbt")


def project_hash(project_dir: Path = PROJECT_DIR) -> str:
    """sha256 over every file dbt reads to build (path and bytes), so a code change forces a full build."""
    digest = hashlib.sha256()
    for name in PROJECT_INPUTS:
        root = project_dir / name
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            digest.update(f.relative_to(project_dir).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(f.read_bytes()).digest())
    return digest.hexdigest()


def published_project_hash(db: Path) -> str | None:
    """The project hash the published warehouse was built from (None: unknown or unreadable)."""
    if not db.exists():
        return None
    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        return con.execute("SELECT project_hash FROM main.gscor_build_info").fetchone()[0]
    except duckdb.Error:
        return None
    finally:
        con.close()


def _stamp(db: Path, started: dt.datetime, result: BuildResult, select: str | None, phash: str) -> None:
    """Record what this file is (BI can show "as of"), then checkpoint so no WAL is left beside it."""
    con = duckdb.connect(str(db))
    try:
        con.execute(
            "CREATE OR REPLACE TABLE main.gscor_build_info AS SELECT "
            "CAST(? AS TIMESTAMP) AS built_at, CAST(? AS TIMESTAMP) AS started_at, "
            "CAST(? AS VARCHAR) AS build_select, CAST(? AS VARCHAR) AS build_mode, "
            "CAST(? AS INTEGER) AS nodes_passed, CAST(? AS INTEGER) AS nodes_warned, "
            "CAST(? AS VARCHAR) AS project_hash",
            [
                dt.datetime.now(dt.UTC).replace(tzinfo=None),
                started,
                select,
                result.mode,
                result.nodes_passed,
                result.nodes_warned,
                phash,
            ],
        ).fetchall()
        con.execute("CHECKPOINT").fetchall()
    finally:
        con.close()


def build(
    home: Home,
    full_refresh: bool = False,
    select: str | None = None,
    *,
    target_path: Path | None = None,
    extra_args: list[str] | None = None,
    unit_tests: bool = False,
    quality_root: Path | None = None,
    progress: Callable[[BuildProgress], None] | None = None,
    all_tests: bool = False,
    target: str | None = None,
) -> BuildResult:
    """Build the warehouse for ``home`` and publish it as ``warehouse/gscor.duckdb`` if every node passed.

    ``select`` is a dbt selection (``stg_alibaba__orders+``); ``full_refresh`` passes ``--full-refresh``.
    dbt ``unit_tests:`` check the models' SQL, not the data: the nightly build leaves them out
    (``--exclude-resource-type unit_test``, as dbt advises for production runs) and ``make test`` runs them
    once (tests/python/test_dbt_unit_tests.py); ``unit_tests=True`` keeps them in.
    ``target_path`` (default ``warehouse/.dbt/target`` under the home) keeps dbt's artefacts out of the repo.
    ``quality_root`` is the GX folder whose ``gscor_checkpoint.yml`` the quality gate runs (default: the
    repository's ``gx/``). ``progress`` is called with a :class:`BuildProgress` at each phase and each dbt
    node started or finished (gscor.cli draws its progress bar from it).
    ``all_tests`` runs every single data test instead of the per-model ``consolidated_checks`` that cover the
    simple ones (see :func:`data_test_selection`): the same checks, ~700 more dbt nodes.
    Raises :class:`BuildBusy` when another build of the same home is running.
    ``target`` names a profiles.yml target other than the DuckDB default (``spark``: gscor.spark).
    """
    t0 = time.monotonic()
    args = list(extra_args or []) + data_test_selection(all_tests)
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    if target not in (None, DEFAULT_TARGET):
        return _build_on_other_engine(home, target, full_refresh, select, target_path, args, progress)
    with _build_lock(home.warehouse):
        result = _build_locked(home, full_refresh, select, target_path, args, quality_root, progress)
        result.all_tests = all_tests
    result.elapsed_seconds = round(time.monotonic() - t0, 2)
    return result


DEFAULT_TARGET = "local"  # profiles.yml: the DuckDB file


def _build_on_other_engine(home, target, full_refresh, select, target_path, args, progress) -> BuildResult:
    """``gscor build --target spark``: the same project on Spark, published by schema switch (gscor.spark)."""
    from .spark import SPARK_TARGETS, build_spark

    if target not in SPARK_TARGETS:
        raise ValueError(
            f"unknown build target {target!r}: {DEFAULT_TARGET} (DuckDB) or {', '.join(SPARK_TARGETS)}"
        )
    return build_spark(
        home, full_refresh, select, target=target, target_path=target_path, extra_args=args, progress=progress
    )


def _build_locked(
    home: Home,
    full_refresh: bool,
    select: str | None,
    target_path: Path | None,
    extra_args: list[str] | None,
    quality_root: Path | None,
    progress: Callable[[BuildProgress], None] | None = None,
) -> BuildResult:
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    report = progress or (lambda _p: None)
    clock = time.monotonic()

    def lap(phase: str) -> None:  # the phase that just ended takes the time since the last lap
        nonlocal clock
        now = time.monotonic()
        result.timings[phase] = round(now - clock, 2)
        clock = now

    report(BuildProgress("prepare"))
    warehouse = home.warehouse
    published = home.published_db
    orphans = stop_orphaned_dbt(warehouse)  # before .building/ is wiped: never run beside a survivor
    for stale in warehouse.glob(".building*"):  # left by a crashed build (we hold the lock)
        shutil.rmtree(stale, ignore_errors=True)
    write_schema_files(home)
    # The temp file has the published file's name inside a private folder: DuckDB names the catalog
    # after the file stem and dbt qualifies relations with it ("gscor"."main"."stg_…"), so views that
    # reference other models must see the same catalog name once published. The lock makes the folder
    # private to this build; a fixed path (no pid) keeps dbt's partial parsing valid between builds.
    temp = home.building_db
    temp_dir = temp.parent
    target = Path(target_path) if target_path else warehouse / ".dbt" / "target"
    log_dir = target.parent / "logs"
    result = BuildResult(success=False, published=None, log_path=log_dir / "dbt.log", notes=orphans)
    try:
        temp_dir.mkdir(parents=True)
        phash, built_from = project_hash(), published_project_hash(published)
        if published.exists() and (select or (not full_refresh and built_from == phash)):
            shutil.copyfile(published, temp)  # incremental facts; unselected models survive a select
            result.mode = "incremental"
        if select and built_from != phash:
            # the models left out were built by other code: the next full build must not trust this file
            phash = "partial-build-over-another-project-version"
        cmd = [
            *_dbt_executable(),
            "build",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(log_dir),
            "--log-format",
            "json",
            "--no-use-colors",
        ]
        if full_refresh:
            cmd.append("--full-refresh")
        if select:
            # a test runs when each model it reads is selected or upstream of the selection (dbt's default,
            # "eager", also runs a test one of whose models was not built: in a fresh home it fails on a missing
            # table, e.g. the reconciliation of fct_product_period for --select stg_alibaba__product_performance)
            cmd += ["--select", select, "--indirect-selection", "buildable"]
        cmd += extra_args or []
        env = dbt_env(home, temp)
        result.ledger_problems = stage_ledgers(
            home
        )  # <landing>/_actions/ledger.parquet; bad rows never stop it
        results_file = target / "run_results.json"
        results_file.unlink(missing_ok=True)
        lap("prepare")
        events = DbtProgress()
        report(BuildProgress("dbt"))
        seed_parse(target)
        returncode = _run_dbt(cmd, env, events, report, temp_dir / DBT_PID_FILE, cwd=home.root)
        keep_parse(target)
        lap("dbt")
        result.timings.update({k: round(v, 2) for k, v in sorted(events.seconds.items())})
        results = _read_results(results_file)
        result.node_counts, result.slowest = node_summary(results)
        for r in results:
            status = str(r.get("status"))
            node = NodeFailure(r.get("unique_id", "?"), status, (r.get("message") or "").strip())
            if status in NOTHING_TO_RUN:
                continue
            if status == "fail" and node.unique_id.startswith(CONSOLIDATED_PREFIX):
                named = failing_checks(temp, r.get("compiled_code") or "", node)
                result.nodes_failed += len(named)
                result.failures += named
                continue
            tally(result, node)
        result.failures.sort(key=lambda f: (f.status == "skipped", f.unique_id))
        nightly = data_test_selection()[1] in (extra_args or [])  # the single tests were left out
        if not result.failures and nightly and (uncovered := uncovered_checks(target)):
            result.nodes_failed += len(uncovered)
            result.failures += [
                NodeFailure(u, "error", f"not run: its model has no {CONSOLIDATED_TEST} test")
                for u in uncovered
            ]
        if returncode != 0 or result.failures:
            if result.nodes_failed:
                failed = [f.unique_id for f in result.failures if f.status != "skipped"]
                result.message = f"{len(failed)} node(s) failed: {', '.join(failed)}"
            else:
                result.message = "dbt build failed:\n" + "\n".join(events.tail)
            return result
        if not temp.exists():  # nothing selected: dbt succeeded without opening the file
            result.success = True
            result.message = "nothing to build"
            return result
        report(BuildProgress("quality gate", events.done, events.total))
        passed = _quality_gate(temp, result, quality_root)
        lap("quality gate")
        if not passed:
            return result
        report(BuildProgress("publish", events.done, events.total))
        _stamp(temp, started, result, select, phash)
        if not publish(temp, published, result):
            return result
        lap("publish")
        result.success = True
        result.published = published
        return result
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


def tally(result: BuildResult, node: NodeFailure) -> None:
    """Count one finished dbt node (run_results.json status) into ``result``: passed (warn too, also kept as a
    warning), skipped or failed (both kept as failures). Shared by the DuckDB and the Spark build."""
    if node.status in PASSED or node.status == "warn":
        result.nodes_passed += 1
        if node.status == "warn":
            result.nodes_warned += 1
            result.warnings.append(node)
    elif node.status == "skipped":
        result.nodes_skipped += 1
        result.failures.append(node)
    else:
        result.nodes_failed += 1
        result.failures.append(node)


# -- data tests: consolidated on the nightly build ----------------------------------------------------------
#
# ~800 of the project's data tests are simple single-column checks (not_null, unique, ranges, accepted values, …).
# dbt spends ~0.1 s of orchestration on each test node, far more than its query. The nightly build runs them as
# one ``consolidated_checks`` test per model (tests/dbt/generic/consolidated_checks.sql: every covered check of the
# model in one query, read from the project graph, so a test added to a yml is covered by itself) and leaves the
# single tests out; warn-severity tests, relationships, the reconciliations and the singular tests run as before.
# ``--all-tests`` runs the single tests instead (same checks, one node each). Any failing check still fails the
# build; :func:`failing_checks` names the single tests that failed, as if they had run.

CONSOLIDATED_TEST = "consolidated_checks"
CONSOLIDATED_PREFIX = f"test.gscor.{CONSOLIDATED_TEST}_"
CONSOLIDATED_TESTS = (
    "not_null",
    "not_negative",
    "accepted_range",
    "accepted_values",
    "expression_is_true",
    "unique",
    "unique_combination_of_columns",
)


def data_test_selection(all_tests: bool = False) -> list[str]:
    """dbt arguments: leave out the single tests consolidated_checks covers (error severity), or, with
    ``all_tests``, consolidated_checks itself."""
    if all_tests:
        return ["--exclude", f"test_name:{CONSOLIDATED_TEST}"]
    return ["--exclude", *(f"test_name:{name},config.severity:error" for name in CONSOLIDATED_TESTS)]


def uncovered_checks(target: Path) -> list[str]:
    """Single tests the nightly selection left out although no consolidated_checks covers their model (a model
    whose yml lacks ``- consolidated_checks``): they would silently not run. From dbt's manifest.json."""
    try:
        nodes = json.loads((target / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError):
        return []
    tests = [n for n in nodes.values() if n.get("resource_type") == "test" and n.get("test_metadata")]
    covered = {n.get("attached_node") for n in tests if n["test_metadata"]["name"] == CONSOLIDATED_TEST}
    return sorted(
        n["unique_id"]
        for n in tests
        if n["test_metadata"]["name"] in CONSOLIDATED_TESTS
        and str(n["config"].get("severity", "")).lower() == "error"
        and n.get("attached_node") not in covered
    )


def failing_checks(db: Path, sql: str, node: NodeFailure) -> list[NodeFailure]:
    """The single tests a failed consolidated_checks found failing (its compiled SQL run again on the built
    file); the consolidated node itself when that is not possible."""
    try:
        con = duckdb.connect(str(db), read_only=True)
        try:
            rows = con.execute(sql).fetchall()
        finally:
            con.close()
    except duckdb.Error:
        return [node]
    found = [
        NodeFailure(uid, "fail", f"Got {n} result(s), configured to fail if != 0 (in {node.unique_id})")
        for uid, _name, n in rows
    ]
    return found or [node]


def node_summary(results: list[dict], slowest: int = 5) -> tuple[dict[str, int], list[tuple[str, float]]]:
    """Nodes run by kind ("models", "tests", "seeds", …) and the ``slowest`` nodes (name, seconds), from dbt's
    run_results.json."""
    counts: Counter[str] = Counter()
    timed = []
    for r in results:
        uid = str(r.get("unique_id", ""))
        kind = TIMED_KINDS.get(uid.split(".", 1)[0])
        if not kind or r.get("status") in NOTHING_TO_RUN:
            continue
        counts[kind] += 1
        timed.append((uid.split(".")[2], round(float(r.get("execution_time") or 0), 2)))
    timed.sort(key=lambda t: -t[1])
    return dict(counts), timed[:slowest]


# -- publish ---------------------------------------------------------------------------------------------------
#
# A BI client (the duckdb CLI, DBeaver) opens a file read-write unless told otherwise, and a writer keeps its
# changes in ``gscor.duckdb.wal`` beside the file, found by NAME: renamed over by a new build, that WAL would
# pair with a file it does not belong to ("WAL does not match database file") and every open would fail.
# So the publish (1) refuses while a read-write client holds the published file (DuckDB's file lock: a
# read-only probe fails), naming the program and pid DuckDB reports and the read-only way to open it, and
# leaves the published file as it was; (2) moves a leftover WAL (a writer that died or never checkpointed)
# aside into ``warehouse/foreign-wal/`` — kept, never deleted — before the rename. A client that opens the
# file read-write in the moment between the probe and the rename is not caught: read-only access is the
# documented way in (README, "Reading the warehouse").

FOREIGN_WAL_DIR = "foreign-wal"


def read_write_holder(db: Path) -> str | None:
    """DuckDB's message naming the program that holds ``db`` open read-write, or None."""
    if not db.exists():
        return None
    try:
        duckdb.connect(str(db), read_only=True).close()
    except duckdb.IOException as exc:
        return str(exc).strip() if "lock" in str(exc).lower() else None
    except duckdb.Error:
        return None  # damaged or a foreign WAL: the new file replaces it
    return None


def publish(temp: Path, published: Path, result: BuildResult) -> bool:
    holder = read_write_holder(published)
    if holder:
        result.message = (
            f"not published: {published} is open read-write by another program ({holder}). A BI tool must "
            "open the warehouse read-only (duckdb -readonly …; DBeaver: connection setting read-only / "
            "access_mode=READ_ONLY): close it and build again. The published file is unchanged."
        )
        return False
    wal = published.with_name(published.name + ".wal")
    if wal.exists():
        aside = published.parent / FOREIGN_WAL_DIR
        aside.mkdir(exist_ok=True)
        kept = aside / f"{published.name}.{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}.wal"
        os.replace(wal, kept)
        result.notes.append(
            f"a write-ahead log left by another program beside {published.name} (a BI tool that wrote to the "
            f"old warehouse) was moved to {kept}: it belongs to the replaced file"
        )
    os.replace(temp, published)
    return True


# -- dbt dies with the build ----------------------------------------------------------------------------------
#
# dbt runs in its own process group (a terminal's Ctrl-C reaches the build only, which stops dbt itself),
# with ``warehouse/.building/dbt.pid`` recording its pid, group and start time. SIGTERM / SIGINT of the
# build: the build kills dbt's group, then exits. kill -9 of the build: on Linux dbt gets SIGKILL from the
# kernel when its parent dies (``prctl(PR_SET_PDEATHSIG)``); elsewhere, or if anything survives, the next
# build (holding the lock, so the build that started it is gone) finds the pid file, checks the process is
# still that dbt (start time), kills its group and waits for it before it wipes ``.building/``: it never
# runs beside a survivor. Chosen over refusing (exit 3): an orphan's work is lost anyway, and a nightly
# ``gscor run`` must not stay blocked until someone kills it by hand.

DBT_PID_FILE = "dbt.pid"
_PR_SET_PDEATHSIG = 1


def _proc_start_time(pid: int) -> int | None:
    """The process's start time (clock ticks since boot, /proc/<pid>/stat field 22); None when it is gone
    (or a zombie) or there is no /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else int(fields[19])


def _die_with_parent(parent: int) -> Callable[[], None] | None:
    """preexec_fn for dbt on Linux: SIGKILL when the build process dies (kill -9 included)."""
    if not sys.platform.startswith("linux"):
        return None

    def preexec() -> None:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the build died before prctl took effect
            os._exit(1)

    return preexec


def _kill_group(pgid: int, pid: int, grace: float = 5.0) -> None:
    """SIGTERM the group, SIGKILL what is left after ``grace`` seconds; return once ``pid`` is gone."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(pgid, sig)
        except (ProcessLookupError, PermissionError):
            return
        end = time.monotonic() + wait
        while time.monotonic() < end:
            if _proc_start_time(pid) is None:
                return
            time.sleep(0.05)


def stop_orphaned_dbt(warehouse: Path) -> list[str]:
    """Kill the dbt of an earlier build that is still running (its pid file under ``.building*/``, pid and
    start time matching); one line per process stopped. Call with the build lock held."""
    notes = []
    for pid_file in warehouse.glob(f".building*/{DBT_PID_FILE}"):
        try:
            rec = json.loads(pid_file.read_text(encoding="utf-8"))
            pid, pgid, started = int(rec["pid"]), int(rec["pgid"]), rec.get("start_time")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        now = _proc_start_time(pid)
        if now is None or (started is not None and now != started):
            continue  # gone, or the pid now belongs to another process
        _kill_group(pgid, pid)
        notes.append(f"stopped dbt (pid {pid}) left running by an earlier build that was killed")
    return notes


def _run_dbt(
    cmd: list[str],
    env: dict,
    events: DbtProgress,
    report: Callable[[BuildProgress], None],
    pid_file: Path | None = None,
    cwd: Path = PROJECT_DIR,
) -> int:
    """Run dbt, feeding each line of its output (stderr merged: one pipe, no deadlock) to ``events``.

    dbt gets its own process group and dies with this process (see above); SIGTERM of this process
    (SIGINT as KeyboardInterrupt) kills dbt's group, then propagates."""
    main = threading.current_thread() is threading.main_thread()
    previous = None
    if main:

        def on_term(signum, frame):
            raise SystemExit(128 + signum)

        previous = signal.signal(signal.SIGTERM, on_term)
    try:
        with subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            start_new_session=True,
            preexec_fn=_die_with_parent(os.getpid()),
        ) as proc:
            try:
                if pid_file is not None:
                    pid_file.write_text(
                        json.dumps(
                            {"pid": proc.pid, "pgid": proc.pid, "start_time": _proc_start_time(proc.pid)}
                        ),
                        encoding="utf-8",
                    )
                assert proc.stdout is not None
                for line in proc.stdout:
                    if events.feed(line):
                        report(events.snapshot())
                return proc.wait()
            finally:
                if proc.poll() is None:  # interrupted (SIGTERM, Ctrl-C, an error): dbt must not run on
                    _kill_group(proc.pid, proc.pid)
                if pid_file is not None:
                    pid_file.unlink(missing_ok=True)
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


def _quality_gate(db: Path, result: BuildResult, quality_root: Path | None) -> bool:
    """Run the GX checkpoint on the built file; on failure record each failing expectation and say so."""
    from .quality import CONFIG_NAME, DEFAULT_CONTEXT_ROOT, run_checkpoint

    quality = run_checkpoint(db, quality_root, ephemeral=True)
    result.quality = quality.summary()
    if quality.success:
        return True
    spec = (Path(quality_root) if quality_root else DEFAULT_CONTEXT_ROOT) / CONFIG_NAME
    for problem in quality.problems:
        result.failures.append(NodeFailure("gx:checkpoint", "fail", problem))
    for mart in quality.marts:
        for failure in mart.failures:
            result.failures.append(NodeFailure(f"gx:{mart.mart}", "fail", failure))
    result.nodes_failed += len(quality.problems) + quality.failed
    result.message = f"quality gate failed on the built warehouse ({quality.summary()}); expectations: {spec}"
    return False


def headline(db: Path) -> list[str]:
    """A few lines about a published warehouse: what it holds and the latest week's funnel per account."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rel = dict(
            con.execute(
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        )
        layers = ("stg", "int", "dim", "fct", "rpt", "fnd")
        kinds = Counter(
            name.split("_", 1)[0] if name.split("_", 1)[0] in layers else "seed/other"
            for name in rel
            if name != "gscor_build_info"
        )
        lines = ["relations: " + ", ".join(f"{kinds[k]} {k}" for k in (*layers, "seed/other") if kinds[k])]
        if "fct_funnel_weekly" in rel:
            rows = con.execute(
                "SELECT account_id, period_start, impressions, clicks, visitors, inquiries, ta_orders "
                "FROM fct_funnel_weekly "
                "QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY period_start DESC) = 1 "
                "ORDER BY account_id LIMIT 10"
            ).fetchall()

            def n(v) -> str:  # unknown stays unknown: the exports that carry it were not loaded
                return "–" if v is None else f"{v:,}"

            for acct, week, imp, clk, uv, inq, orders in rows:
                lines.append(
                    f"{acct} week of {week}: 曝光 impressions {n(imp)} → 点击 clicks {n(clk)} → "
                    f"访客 visitors {n(uv)} → 询盘 inquiries {n(inq)} → 信保订单 TA orders {n(orders)}"
                )
        else:
            for name in sorted(n for n in rel if n.startswith("stg_"))[:20]:
                (count,) = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()
                lines.append(f"{name}: {count:,} rows")
        return lines
    finally:
        con.close()


__all__ = [
    "DBT_PID_FILE",
    "BuildBusy",
    "BuildProgress",
    "BuildResult",
    "DbtProgress",
    "NodeFailure",
    "build",
    "data_test_selection",
    "headline",
    "project_hash",
    "schema_file",
    "stop_orphaned_dbt",
    "write_schema_files",
]
