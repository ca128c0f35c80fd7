"""Benchmark: ``gscor build`` against the same SQL run directly in DuckDB.

    python -m gscor.bench.build_bench --home DIR [--build]

With ``--build`` it first runs a full ``gscor build`` of the home (timed). It then takes the SQL
dbt compiled for every model of that build (``<home>/warehouse/.dbt/target/compiled``), and runs it
in dependency order in one DuckDB connection on a fresh file — seeds loaded with ``read_csv``,
views as views, everything else as tables — without dbt, without tests and without the publish
step. The ratio of the two wall times is the cost of dbt's orchestration, the data tests and
the atomic publish on top of the SQL itself. It prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from ..paths import DB_NAME, Home
from ..warehouse import PROJECT_DIR, build


def _nodes(target: Path) -> tuple[dict, list[str]]:
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    nodes = {
        uid: n
        for uid, n in manifest["nodes"].items()
        if n["resource_type"] in ("model", "seed") and n["package_name"] == "gscor"
    }
    graph = {
        uid: [d for d in n.get("depends_on", {}).get("nodes", []) if d in nodes] for uid, n in nodes.items()
    }
    return nodes, list(TopologicalSorter(graph).static_order())


def run_direct(target: Path, landing: Path) -> dict:
    """Run every model's compiled SQL directly in DuckDB; return timings."""
    nodes, order = _nodes(target)
    tmp = Path(tempfile.mkdtemp(prefix="gscor-direct-"))
    try:
        con = duckdb.connect(str(tmp / DB_NAME))  # the catalog name dbt's compiled SQL uses
        per_kind = {"seed": 0.0, "view": 0.0, "table": 0.0}
        t0 = time.perf_counter()
        for uid in order:
            n = nodes[uid]
            name = n["alias"] or n["name"]
            t = time.perf_counter()
            if n["resource_type"] == "seed":
                csv = PROJECT_DIR / n["original_file_path"]
                con.execute(
                    f"CREATE TABLE main.\"{name}\" AS SELECT * FROM read_csv('{csv}', header=true)"
                ).fetchall()
                per_kind["seed"] += time.perf_counter() - t
                continue
            sql = (target / "compiled" / "gscor" / n["original_file_path"]).read_text(encoding="utf-8")
            kind = "view" if n["config"]["materialized"] == "view" else "table"
            con.execute(f'CREATE {kind.upper()} main."{name}" AS {sql}').fetchall()
            per_kind[kind] += time.perf_counter() - t
        con.execute("CHECKPOINT").fetchall()
        total = time.perf_counter() - t0
        con.close()
        return {
            "direct_seconds": round(total, 2),
            **{f"direct_{k}_seconds": round(v, 2) for k, v in per_kind.items()},
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--home", required=True, type=Path)
    ap.add_argument("--build", action="store_true", help="run a timed full gscor build first")
    args = ap.parse_args()
    home = Home.resolve(args.home)
    out: dict = {"home": str(home.root)}
    if args.build:
        t = time.perf_counter()
        result = build(home, full_refresh=True)
        out["gscor_build_seconds"] = round(time.perf_counter() - t, 2)
        out["build_ok"] = result.success
        out["nodes_passed"] = result.nodes_passed
    target = home.warehouse / ".dbt" / "target"
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    out["dbt_model_seconds"] = round(
        sum(r["execution_time"] for r in results if r["unique_id"].startswith(("model.", "seed."))), 2
    )
    out["dbt_test_seconds"] = round(
        sum(r["execution_time"] for r in results if r["unique_id"].startswith(("test.", "unit_test."))), 2
    )
    out["landing_rows"] = landing_rows(home)
    out.update(run_direct(target, home.landing))
    if "gscor_build_seconds" in out:
        out["ratio_build_to_direct"] = round(out["gscor_build_seconds"] / out["direct_seconds"], 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()


def landing_rows(home: Home) -> int:
    """Rows in the home's landing zone (every report type, every account)."""
    from ..ingest.coerce import sql_literal

    con = duckdb.connect()
    try:
        glob = sql_literal(f"{home.landing}/*/account=*/*.parquet")
        return con.execute(f"SELECT count(*) FROM read_parquet({glob}, union_by_name=true)").fetchone()[0]
    finally:
        con.close()
