"""Compare the warehouse built on DuckDB with the same project built on Spark, table by table, row for row.

    python scripts/compare_engines.py --home H        # H: built with `gscor build` and `gscor build --target spark`

Every mart and report table (the dbt models under models/marts materialised as table or incremental, from the
DuckDB build's manifest) is read from both engines and compared with EXCEPT ALL both ways (so duplicates count):
the DuckDB side from the published warehouse/gscor.duckdb, the Spark side from the Parquet files of the
published Spark schema (gscor.spark: the tables of schema <published> under warehouse/spark/tables), read
by DuckDB, columns matched by name (Spark puts partition columns last). Floating-point columns (either engine's
FLOAT / DOUBLE) are compared rounded at 9 decimals; every other column exactly (after casting to the DuckDB
side's type). TOLERANCES lists any column compared more loosely, with the reason (docs/scale-out.md).

Also checks that the two real back-office exports reconcile to the unit on Spark (account ``real``):
54,082 search impressions / 630 clicks / 18 inquiries over 365 products, 26,483 keyword impressions / 266
clicks over 500 keyword rows.

Prints one line per table that differs, the models not yet ported to Spark (NOT_PORTED: compared nowhere, named
loudly) and "N tables identical"; exit 1 when any table differs, is missing on Spark without being listed as not
ported, or a reconciliation fails.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

from gscor.paths import Home
from gscor.spark import published_schema, spark_dir, spark_table_dir

FLOAT_TYPES = {"FLOAT", "DOUBLE", "REAL"}
# model -> columns compared at an absolute tolerance instead of exactly, with the reason. These are rates cast
# from a DOUBLE quotient to decimal(18,4): DuckDB rounds the double's exact binary value (4.08365 is stored as
# 4.0836499… → 4.0836), Spark rounds its shortest decimal text ("4.08365" → 4.0837, half up), so a quotient that
# is exactly a tie at the 5th decimal can land one unit of the 4th apart. Every other column of these tables is
# compared exactly; the tolerance column as a sorted multiset, value by value within the tolerance.
TIE = "double quotient cast to decimal(18,4): ties at the 5th decimal round by the binary value on DuckDB, by the decimal text on Spark"
P4P_RATES = ("cpc", "cpc_usd", "cpc_cny", "cost_per_inquiry", "cost_per_inquiry_usd", "cost_per_inquiry_cny")
TOLERANCES: dict[str, dict[str, tuple[float, str]]] = {
    "fct_p4p_fullsite_product": {c: (0.0001, TIE) for c in P4P_RATES},
    "fct_p4p_keyword_daily": {c: (0.0001, TIE) for c in P4P_RATES},
    "fct_p4p_keyword_4w": {
        c: (0.0001, TIE)
        for c in ("cpc_usd_4w", "cpc_cny_4w", "cost_per_inquiry_usd_4w", "cost_per_inquiry_cny_4w")
    },
    "fct_p4p_roi_weekly": {
        c: (0.0001, TIE) for c in (*P4P_RATES, "cost_per_inquiry_usd_8w", "trailing_cost_per_inquiry_usd")
    },
    "rpt_p4p_daily": {c: (0.0001, TIE) for c in P4P_RATES},
}
# models that do not build on Spark yet: listed in the output, never silently skipped
NOT_PORTED: dict[str, str] = {}

REAL_CHECKS = (
    (
        "real products: rows, search impressions, clicks, inquiries, products",
        "stg_alibaba__product_performance",
        "count(*), sum(search_impressions), sum(search_clicks), sum(inquiries), count(DISTINCT product_id)",
        (365, 54_082, 630, 18, 365),
    ),
    (
        "real keywords: rows, impressions, clicks, periods",
        "fct_keyword_period",
        "count(*), sum(impressions), sum(clicks), count(DISTINCT period_start)",
        (500, 26_483, 266, 1),
    ),
)


def mart_tables(manifest: Path) -> list[str]:
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return sorted(
        n["name"]
        for n in nodes
        if n["resource_type"] == "model"
        and n["original_file_path"].startswith("models/marts/")
        and n["config"].get("materialized") in ("table", "incremental")
    )


def spark_source(tables_dir: Path, name: str) -> str:
    glob = (tables_dir / name / "**" / "*.parquet").as_posix().replace("'", "''")
    return f"read_parquet('{glob}', hive_partitioning = true, hive_types_autocast = false)"


def columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {r[0]: r[1] for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()}


def compare_table(con, name: str, tables_dir: Path) -> tuple[bool, str]:
    duck = f"duck.main.{name}"
    spark = spark_source(tables_dir, name)
    dcols, scols = columns(con, duck), columns(con, spark)
    if set(dcols) != set(scols):
        only_d, only_s = sorted(set(dcols) - set(scols)), sorted(set(scols) - set(dcols))
        return False, f"columns differ: only DuckDB {only_d}, only Spark {only_s}"
    loose = {c: t for c, t in TOLERANCES.get(name, {}).items() if c in dcols}
    d_sel, s_sel = [], []
    for col, dtype in dcols.items():
        q = f'"{col}"'
        if col in loose:
            continue  # compared below, as a sorted multiset within its tolerance
        if dtype in FLOAT_TYPES or scols[col] in FLOAT_TYPES:
            d_sel.append(f"round(CAST({q} AS DOUBLE), 9)")
            s_sel.append(f"round(CAST({q} AS DOUBLE), 9)")
        else:
            d_sel.append(q)
            s_sel.append(f"CAST({q} AS {dtype})")
    d_q = f"SELECT {', '.join(d_sel)} FROM {duck}"
    s_q = f"SELECT {', '.join(s_sel)} FROM {spark}"
    only_d = con.execute(f"SELECT count(*) FROM ({d_q} EXCEPT ALL {s_q})").fetchone()[0]
    only_s = con.execute(f"SELECT count(*) FROM ({s_q} EXCEPT ALL {d_q})").fetchone()[0]
    n_d = con.execute(f"SELECT count(*) FROM {duck}").fetchone()[0]
    n_s = con.execute(f"SELECT count(*) FROM {spark}").fetchone()[0]
    if only_d or only_s:
        return False, f"{n_d} rows on DuckDB, {n_s} on Spark: {only_d} only on DuckDB, {only_s} only on Spark"
    loose_notes = []
    for col, (tol, _why) in loose.items():
        q = f'"{col}"'
        d_vals = [
            r[0]
            for r in con.execute(
                f"SELECT CAST({q} AS DOUBLE) v FROM {duck} ORDER BY v NULLS FIRST"
            ).fetchall()
        ]
        s_vals = [
            r[0]
            for r in con.execute(
                f"SELECT CAST({q} AS DOUBLE) v FROM {spark} ORDER BY v NULLS FIRST"
            ).fetchall()
        ]
        off = [
            (a, b)
            for a, b in zip(d_vals, s_vals, strict=True)
            if (a is None) != (b is None) or (a is not None and abs(a - b) > tol + 1e-12)
        ]
        if off:
            return False, f"{col}: {len(off)} value(s) beyond ±{tol}, e.g. {off[:3]}"
        near = sum(1 for a, b in zip(d_vals, s_vals, strict=True) if a is not None and a != b)
        loose_notes.append(f"{col} ±{tol} ({near} differ within it)")
    detail = f"{n_d} rows"
    return True, detail + (f"; at a tolerance: {', '.join(loose_notes)}" if loose_notes else "")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--home", required=True, type=Path)
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument(
        "--latest-build",
        action="store_true",
        help="compare the newest Spark build schema even if it was not published (a build with failed nodes): "
        "the tables it holds are compared, the ones it lacks are named",
    )
    args = ap.parse_args(argv)
    home = Home.resolve(args.home)
    manifest = home.warehouse / ".dbt" / "target" / "manifest.json"
    schema = published_schema(home)
    if args.latest_build:
        builds = sorted(p.name[: -len(".db")] for p in (spark_dir(home) / "tables").glob("gscor_b*.db"))
        if builds and builds[-1] != schema:
            print(
                f"NOTE: comparing the newest Spark build {builds[-1]}, which was NOT published (published: {schema})"
            )
            schema = builds[-1]
    if schema is None:
        print(f"no Spark build in {home.root} (gscor build --target spark)")
        return 1
    tables_dir = spark_table_dir(home, schema)
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"ATTACH '{home.published_db}' AS duck (READ_ONLY)")
    names = mart_tables(manifest)
    identical, bad = [], []
    for name in names:
        if name in NOT_PORTED:
            continue
        if not (tables_dir / name).is_dir():
            bad.append((name, "not built on Spark"))
            print(f"NOT BUILT on Spark: {name} (no {tables_dir / name})", flush=True)
            continue
        try:
            same, detail = compare_table(con, name, tables_dir)
        except duckdb.Error as exc:
            same, detail = False, f"compare failed: {exc}".splitlines()[0]
        (identical if same else bad).append((name, detail))
        if args.verbose or not same or "tolerance" in detail:
            print(f"{'identical' if same else 'DIFFERS  '} {name}: {detail}", flush=True)
    failed_checks = 0
    for label, table, exprs, expected in REAL_CHECKS:
        if not (tables_dir / table).is_dir():
            failed_checks += 1
            print(f"Spark {label}: NOT CHECKED, {table} not built on Spark")
            continue
        got = con.execute(
            f"SELECT {exprs} FROM {spark_source(tables_dir, table)} WHERE account_id = 'real'"
        ).fetchone()
        ok = tuple(got) == expected
        failed_checks += not ok
        print(f"Spark {label}: {got} {'== ' if ok else '!= expected '}{expected}")
    for name, why in sorted(NOT_PORTED.items()):
        print(f"NOT PORTED to Spark (not compared): {name}: {why}")
    for col_table, cols in sorted(TOLERANCES.items()):
        print(
            f"tolerance: {col_table}: {', '.join(sorted(cols))} within ±{next(iter(cols.values()))[0]} ({TIE})"
        )
    print(f"{len(identical)} tables identical (of {len(names)} mart and report tables; schema {schema})")
    if bad:
        print(f"{len(bad)} table(s) NOT identical: {', '.join(n for n, _ in bad)}")
    return 1 if bad or failed_checks else 0


if __name__ == "__main__":
    raise SystemExit(main())
