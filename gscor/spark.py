"""``gscor build --target spark``: the same dbt project built on Apache Spark (dbt-spark), published by schema switch.

DuckDB publishes by renaming a finished file over the old one. Spark has no file to rename, so:

1. Every build writes into a FRESH schema ``gscor_b<UTC yyyymmddHHMMSS>`` (dbt target schema, through
   ``GSCOR_SPARK_SCHEMA``). An incremental build (the published build came from the same project version, no
   ``--full-refresh``) first copies the incremental facts of the published build schema into the new one
   (macro ``gscor_spark_start_from``), so ``insert_overwrite`` only recomputes the changed accounts.
2. ``dbt build`` (models, seeds, data tests) runs there. Readers are not affected: nothing reads the new schema.
3. Only if every node passed, ``gscor_spark_publish`` switches the schema readers use, ``gscor`` (profile
   variable ``GSCOR_SPARK_PUBLISHED``): one ``CREATE OR REPLACE VIEW gscor.<relation> AS SELECT * FROM
   <build schema>.<relation>`` per relation, then ``gscor.gscor_build_info`` naming the build schema. Build
   schemas older than the one just replaced are dropped; the replaced one is kept until the next publish, so a
   query that started on it finishes.
   Limits: each view switches atomically, the set of views does not — during the seconds of the switch a query
   joining two relations may see one from each build. A reader that needs one consistent build reads
   ``gscor.gscor_build_info.build_schema`` and queries that schema directly (it stays for one more build).
   A failed build leaves its schema behind (for inspection) until the next successful publish drops it.
4. ``warehouse/spark/published.json`` records the published build schema for the local tools (the engine
   comparison of ``make test-spark``).

dbt runs in a child process (``python -m gscor.spark``) that invokes dbt in-process (``dbtRunner``) for the
copy, the build and the publish, so with ``method: session`` one SparkSession (one JVM start, one metastore)
serves all three; with ``method: thrift`` / ``http`` they are three calls to the cluster. The build's
run_results.json is kept as ``build_results.json`` (the run-operations that follow overwrite run_results.json).
The DuckDB quality gate (Great Expectations on the built file) does not run on Spark: the dbt data tests do.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from .paths import Home

SPARK_TARGETS = ("spark",)  # profiles.yml targets of type spark that `gscor build --target` accepts
PUBLISHED_SCHEMA = "gscor"
BUILD_SCHEMA_PREFIX = "gscor_b"
BUILD_RESULTS = "build_results.json"


def spark_dir(home: Home) -> Path:
    """``warehouse/spark``: the local Spark warehouse (tables/ and the Derby metastore) of method: session."""
    return home.warehouse / "spark"


def published_file(home: Home) -> Path:
    return spark_dir(home) / "published.json"


def published_schema(home: Home) -> str | None:
    """The build schema the Spark warehouse of ``home`` publishes (None: nothing published yet)."""
    try:
        return json.loads(published_file(home).read_text(encoding="utf-8"))["build_schema"]
    except (OSError, ValueError, KeyError):
        return None


def spark_table_dir(home: Home, schema: str) -> Path:
    """Where the local Spark catalog keeps the tables of ``schema`` (spark.sql.warehouse.dir/<schema>.db)."""
    return spark_dir(home) / "tables" / f"{schema}.db"


def new_build_schema(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"{BUILD_SCHEMA_PREFIX}{now:%Y%m%d%H%M%S}"


def build_spark(
    home: Home,
    full_refresh: bool = False,
    select: str | None = None,
    *,
    target: str = "spark",
    target_path: Path | None = None,
    extra_args: list[str] | None = None,
    progress: Callable | None = None,
):
    """Build the warehouse of ``home`` on Spark into a fresh schema and publish it if every node passed.

    Called by :func:`gscor.warehouse.build` for ``target`` "spark"; returns its BuildResult."""
    from . import warehouse as wh
    from .actions import stage_ledgers
    from .errors import GscorError

    if select:
        raise GscorError(
            "gscor build --target spark builds the whole project into a fresh schema: --select is not supported"
        )
    t0 = time.monotonic()
    report = progress or (lambda _p: None)
    with wh._build_lock(home.warehouse):
        report(wh.BuildProgress("prepare"))
        started = time.monotonic()
        target_dir = Path(target_path) if target_path else home.warehouse / ".dbt" / f"target-{target}"
        log_dir = target_dir.parent / f"logs-{target}"
        result = wh.BuildResult(success=False, published=None, log_path=log_dir / "dbt.log")
        wh.write_schema_files(home)
        result.ledger_problems = stage_ledgers(home)
        schema = new_build_schema()
        previous = published_schema(home)
        phash = wh.project_hash()
        start_from = None
        if previous and not full_refresh and _published_hash(home) == phash:
            start_from = previous
            result.mode = "incremental"
        spark_dir(home).mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "GSCOR_HOME": str(home.root),
            "GSCOR_LANDING_DIR": os.environ.get("GSCOR_LANDING_DIR") or str(home.landing),
            "GSCOR_SPARK_SCHEMA": schema,
            "GSCOR_SPARK_DIR": str(spark_dir(home)),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
        common = [
            "--project-dir",
            str(wh.PROJECT_DIR),
            "--profiles-dir",
            str(wh.PROJECT_DIR),
            "--target",
            target,
            "--target-path",
            str(target_dir),
            "--log-path",
            str(log_dir),
        ]
        dbt_args = ["--log-format", "json", "--no-use-colors", *common]
        if full_refresh:
            dbt_args.append("--full-refresh")
        dbt_args += extra_args or []
        cmd = [sys.executable, "-m", "gscor.spark", "--build-schema", schema]
        cmd += ["--published", os.environ.get("GSCOR_SPARK_PUBLISHED", PUBLISHED_SCHEMA)]
        if start_from:
            cmd += ["--start-from", start_from]
        cmd += ["--", *dbt_args]
        results_file = target_dir / BUILD_RESULTS
        results_file.unlink(missing_ok=True)
        result.timings["prepare"] = round(time.monotonic() - started, 2)
        events = wh.DbtProgress()
        report(wh.BuildProgress("dbt"))
        temp_dir = home.warehouse / ".building-spark"
        shutil.rmtree(temp_dir, ignore_errors=True)
        temp_dir.mkdir(parents=True)
        try:
            clock = time.monotonic()
            returncode = wh._run_dbt(cmd, env, events, report, temp_dir / wh.DBT_PID_FILE)
            result.timings["dbt + publish"] = round(time.monotonic() - clock, 2)
        finally:
            shutil.rmtree(temp_dir, ignore_errors=True)
        result.timings.update({k: round(v, 2) for k, v in sorted(events.seconds.items())})
        for r in wh._read_results(results_file):
            status = str(r.get("status"))
            node = wh.NodeFailure(r.get("unique_id", "?"), status, (r.get("message") or "").strip())
            if status in wh.NOTHING_TO_RUN:
                continue
            wh.tally(result, node)
        result.failures.sort(key=lambda f: (f.status == "skipped", f.unique_id))
        if returncode != 0 or result.failures:
            if result.nodes_failed:
                failed = [f.unique_id for f in result.failures if f.status != "skipped"]
                result.message = f"{len(failed)} node(s) failed on Spark: {', '.join(failed)}"
            elif returncode == 3:
                result.message = f"built on Spark in schema {schema}, but the publish failed:\n" + "\n".join(
                    events.tail
                )
            else:
                result.message = "dbt build on Spark failed:\n" + "\n".join(events.tail)
            result.notes.append(
                f"Spark build schema {schema} left for inspection; readers still see {previous}"
            )
        else:
            record = {
                "build_schema": schema,
                "published_schema": os.environ.get("GSCOR_SPARK_PUBLISHED", PUBLISHED_SCHEMA),
                "published_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "previous_schema": previous,
                "mode": result.mode,
                "nodes_passed": result.nodes_passed,
                "project_hash": phash,
            }
            tmp = published_file(home).with_suffix(".tmp")
            tmp.write_text(json.dumps(record, indent=2), encoding="utf-8")
            os.replace(tmp, published_file(home))
            result.success = True
            result.published = None  # no DuckDB file: the render prints the message instead of its headline
            result.message = (
                f"published on Spark: schema {record['published_schema']} now shows build schema {schema} "
                f"({result.mode}; tables under {spark_table_dir(home, schema)})"
            )
    result.elapsed_seconds = round(time.monotonic() - t0, 2)
    return result


def _published_hash(home: Home) -> str | None:
    try:
        return json.loads(published_file(home).read_text(encoding="utf-8")).get("project_hash")
    except (OSError, ValueError):
        return None


# -- the child process: dbt in-process, one SparkSession for the copy, the build and the publish --------------


# build-only dbt options: run-operation refuses them. Those in SELECTION_OPTIONS take one or more values.
SELECTION_OPTIONS = (
    "--select",
    "-s",
    "--exclude",
    "--resource-type",
    "--exclude-resource-type",
    "--selector",
)
BUILD_ONLY_FLAGS = ("--full-refresh",)


def run_operation_args(dbt_args: list[str]) -> list[str]:
    """The build's dbt arguments without the build-only ones, for the run-operations before and after it (the
    connection, target and log options stay). A selection option drops every value after it, up to the next
    option: the nightly build's ``--exclude`` names seven test kinds (``warehouse.data_test_selection``)."""
    kept: list[str] = []
    dropping = False
    for a in dbt_args:
        if a.startswith("-"):
            dropping = a in SELECTION_OPTIONS
            if dropping or a in BUILD_ONLY_FLAGS:
                continue
        elif dropping:
            continue
        kept.append(a)
    return kept


def main(argv: list[str] | None = None) -> int:
    import argparse

    from dbt.cli.main import dbtRunner

    ap = argparse.ArgumentParser(prog="python -m gscor.spark")
    ap.add_argument("--build-schema", required=True)
    ap.add_argument("--published", default=PUBLISHED_SCHEMA)
    ap.add_argument("--start-from", default=None)
    ap.add_argument("dbt_args", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    dbt_args = [a for a in args.dbt_args if a != "--"]
    op_args = run_operation_args(dbt_args)
    target_path = Path(dbt_args[dbt_args.index("--target-path") + 1]) if "--target-path" in dbt_args else None
    runner = dbtRunner()
    if args.start_from:
        res = runner.invoke(
            [
                "run-operation",
                "gscor_spark_start_from",
                "--args",
                json.dumps({"from_schema": args.start_from}),
                *op_args,
            ]
        )
        if not res.success:
            print(f"gscor_spark_start_from failed: {res.exception or res.result}", file=sys.stderr)
            return 2
    res = runner.invoke(["build", *dbt_args])
    if target_path is not None and (target_path / "run_results.json").exists():
        shutil.copyfile(target_path / "run_results.json", target_path / BUILD_RESULTS)
    if not res.success:
        return 1
    res = runner.invoke(
        [
            "run-operation",
            "gscor_spark_publish",
            "--args",
            json.dumps({"build_schema": args.build_schema, "published": args.published}),
            *op_args,
        ]
    )
    if not res.success:  # the last line of the output: the build's message quotes the tail
        print(f"gscor_spark_publish failed: {res.exception or res.result}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
