"""``gscor build``: run ``dbt build`` into a fresh DuckDB file and publish it atomically.

1. Take the build lock ``warehouse/.build.lock`` (one build per home at a time)
   and remove temp files a crashed build left behind.
2. Write the zero-row schema Parquet of every report type
   (``data/landing/<type>/account=_schema/_schema.parquet``, types from the
   registry and ``coerce.DUCKDB_TYPES``) so a type with no loads yet reads as
   an empty table instead of failing ``read_parquet`` on an empty glob.
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
   selected survive.
4. Only if every node passed, the quality gate: the Great Expectations checkpoint
   (gscor.quality, suites in ``gx/gscor_checkpoint.yml``: what the dbt tests do not
   check) on the built file. A failing expectation fails the build like a failing
   dbt test (each one listed as a failure ``gx:<suite>``).
5. Only if the gate passed: record ``gscor_build_info``, checkpoint, and
   ``os.replace`` the file over ``warehouse/gscor.duckdb``. A reader that holds
   the published file open (read-only) keeps the old inode and its consistent
   view until it reopens; it never blocks the build, because the build never
   opens the published file for writing. Any failure deletes the temp file and
   leaves the published file byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from .actions import stage_ledgers
from .errors import BuildBusy
from .ingest.coerce import DUCKDB_TYPES
from .paths import Home
from .registry import LINEAGE_TYPES, load_registry

PROJECT_DIR = Path(__file__).resolve().parents[1]  # dbt_project.yml and profiles.yml live at the repo root
SCHEMA_ACCOUNT = "_schema"
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
    quality: str | None = None  # the quality gate's summary line (None: it did not run)

    @property
    def failed_nodes(self) -> list[str]:
        return [f.unique_id for f in self.failures]


def schema_file(home: Home, report_type: str) -> Path:
    return home.landing / report_type / f"account={SCHEMA_ACCOUNT}" / f"{SCHEMA_ACCOUNT}.parquet"


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
            tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
            con.execute(f"COPY ({schema_select(report_type)}) TO '{tmp}' (FORMAT parquet)").fetchall()
            if target.exists() and target.read_bytes() == tmp.read_bytes():
                tmp.unlink()
                continue
            os.replace(tmp, target)
            written.append(target)
    finally:
        con.close()
    return written


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
) -> BuildResult:
    """Build the warehouse for ``home`` and publish it as ``warehouse/gscor.duckdb`` if every node passed.

    ``select`` is a dbt selection (``stg_alibaba__orders+``); ``full_refresh`` passes ``--full-refresh``.
    dbt ``unit_tests:`` check the models' SQL, not the data: the nightly build leaves them out
    (``--exclude-resource-type unit_test``, as dbt advises for production runs) and ``make test`` runs them
    once (tests/python/test_dbt_unit_tests.py); ``unit_tests=True`` keeps them in.
    ``target_path`` (default ``warehouse/.dbt/target`` under the home) keeps dbt's artefacts out of the repo.
    ``quality_root`` is the GX folder whose ``gscor_checkpoint.yml`` the quality gate runs (default: the
    repository's ``gx/``).
    Raises :class:`BuildBusy` when another build of the same home is running.
    """
    t0 = time.monotonic()
    args = list(extra_args or [])
    if not unit_tests:
        args += ["--exclude-resource-type", "unit_test"]
    with _build_lock(home.warehouse):
        result = _build_locked(home, full_refresh, select, target_path, args, quality_root)
    result.elapsed_seconds = round(time.monotonic() - t0, 2)
    return result


def _build_locked(
    home: Home,
    full_refresh: bool,
    select: str | None,
    target_path: Path | None,
    extra_args: list[str] | None,
    quality_root: Path | None,
) -> BuildResult:
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    warehouse = home.warehouse
    published = home.published_db
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
    result = BuildResult(success=False, published=None, log_path=log_dir / "dbt.log")
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
        ]
        if full_refresh:
            cmd.append("--full-refresh")
        if select:
            cmd += ["--select", select]
        cmd += extra_args or []
        env = {
            **os.environ,
            "GSCOR_HOME": str(home.root),
            "GSCOR_DUCKDB_PATH": str(temp),
            "GSCOR_LANDING_DIR": str(home.landing),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
        result.ledger_problems = stage_ledgers(
            home
        )  # <landing>/_actions/ledger.parquet; bad rows never stop it
        results_file = target / "run_results.json"
        results_file.unlink(missing_ok=True)
        proc = subprocess.run(cmd, cwd=PROJECT_DIR, env=env, capture_output=True, text=True)
        for r in _read_results(results_file):
            status = str(r.get("status"))
            node = NodeFailure(r.get("unique_id", "?"), status, (r.get("message") or "").strip())
            if status in NOTHING_TO_RUN:
                continue
            if status in PASSED:
                result.nodes_passed += 1
            elif status == "warn":
                result.nodes_passed += 1
                result.nodes_warned += 1
                result.warnings.append(node)
            elif status == "skipped":
                result.nodes_skipped += 1
                result.failures.append(node)
            else:
                result.nodes_failed += 1
                result.failures.append(node)
        result.failures.sort(key=lambda f: (f.status == "skipped", f.unique_id))
        if proc.returncode != 0 or result.failures:
            if result.nodes_failed:
                failed = [f.unique_id for f in result.failures if f.status != "skipped"]
                result.message = f"{len(failed)} node(s) failed: {', '.join(failed)}"
            else:
                tail = (proc.stdout + proc.stderr).strip().splitlines()[-15:]
                result.message = "dbt build failed:\n" + "\n".join(tail)
            return result
        if not temp.exists():  # nothing selected: dbt succeeded without opening the file
            result.success = True
            result.message = "nothing to build"
            return result
        if not _quality_gate(temp, result, quality_root):
            return result
        _stamp(temp, started, result, select, phash)
        os.replace(temp, published)
        result.success = True
        result.published = published
        return result
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


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
    "BuildBusy",
    "BuildResult",
    "NodeFailure",
    "build",
    "headline",
    "project_hash",
    "schema_file",
    "write_schema_files",
]
