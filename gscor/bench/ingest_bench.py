"""Ingest throughput vs DuckDB's own read_csv on the same rows.

Two measurements, each reported as rows/s and as a ratio to raw DuckDB:

1. one large product table (default 1,000,000 rows) in the real data-advisor
   layout (title row, blank rows, header at row 5, ``1.62%``, ``-``), written as
   UTF-8 CSV; gscor reads, validates, types and lands it; DuckDB's baseline is
   ``read_csv`` of the same file into a table (auto-detected types, percentages
   left as text: the baseline does less work than gscor, by design).
2. optionally (``--generated``), a generated multi-account set from
   ``scripts/generate_samples.py``: every file ingested by gscor vs the same
   landed rows re-exported as one CSV per report type and read by ``read_csv``.

Run: ``make bench`` or ``python -m gscor.bench.ingest_bench --rows 1000000``.
Timings are wall-clock on this machine; the ratio is what to compare across runs.
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from ..ingest import ingest_paths
from ..paths import Home
from ..registry import load_registry

PRODUCT_TITLE = "产品数据, 时间周期 2026-09-13~2026-09-19"


def write_product_csv(path: Path, rows: int, seed: int = 7) -> None:
    """A product_performance export of ``rows`` rows, built by DuckDB for speed."""
    entry = load_registry()["product_performance"]
    headers = [c.aliases[0] for c in entry.columns]
    con = duckdb.connect()
    body = path.with_suffix(".body.csv")
    con.execute(f"SELECT setseed({(seed % 1000) / 1000})").fetchall()
    con.execute(
        f"""
        COPY (
          WITH base AS (
            SELECT i,
                   (random() * 5000)::BIGINT AS imp,
                   random() AS r1, random() AS r2, random() AS r3
            FROM range({rows}) t(i)
          ), v AS (
            SELECT *, (imp * r1 * 0.03)::BIGINT AS clk FROM base
          )
          SELECT
            (1600000000000 + i)::VARCHAR,
            'Wholesale Breathable Mesh Athletic Walking Shoes L' || (i % 9000)::VARCHAR || ' OEM ODM',
            CASE WHEN r2 < 0.2 THEN 'Y' ELSE 'N' END,
            'N',
            CASE WHEN r3 < 0.5 THEN 'Y' ELSE 'N' END,
            imp::VARCHAR, clk::VARCHAR,
            CASE WHEN imp = 0 THEN '0%' ELSE round(100.0 * clk / imp, 2)::VARCHAR || '%' END,
            (clk * 1.8)::BIGINT::VARCHAR,
            (clk * r2 * 0.1)::BIGINT::VARCHAR,
            '-',
            (clk * r2 * 0.08)::BIGINT::VARCHAR,
            round(r2 * 5, 2)::VARCHAR || '%',
            (r3 * 3)::BIGINT::VARCHAR, '0', '0', (r1 * 2)::BIGINT::VARCHAR, (r2 * 4)::BIGINT::VARCHAR,
            'User name', '0', round(r3 * 40, 2)::VARCHAR,
            (imp * 2.5)::BIGINT::VARCHAR, (clk * 3)::BIGINT::VARCHAR,
            (imp * 1.5)::BIGINT::VARCHAR, (clk * 2)::BIGINT::VARCHAR,
            '0', '0', (imp * 1.5)::BIGINT::VARCHAR, (clk * 2)::BIGINT::VARCHAR
          FROM v
        ) TO '{body}' (HEADER false)
        """
    ).fetchall()
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(f'"{PRODUCT_TITLE}"' + "," * (len(headers) - 1) + "\n")
        for _ in range(4):
            fh.write("," * (len(headers) - 1) + "\n")
        fh.write(",".join(headers) + "\n")
        with body.open("r", encoding="utf-8") as src:
            shutil.copyfileobj(src, fh, 1 << 20)
    body.unlink()


def time_duckdb_read_csv(files: list[Path], skip: int) -> tuple[float, int]:
    con = duckdb.connect()
    start = time.perf_counter()
    total = 0
    for n, f in enumerate(files):
        sql = f"CREATE TABLE t{n} AS SELECT * FROM read_csv('{f}', skip={skip}, header=true)"
        con.execute(sql).fetchall()
        total += con.execute(f"SELECT count(*) FROM t{n}").fetchall()[0][0]
    return time.perf_counter() - start, total


_CHILD = (
    "import json, sys, time; from pathlib import Path; from gscor.ingest import IngestOptions, ingest_paths; "
    "from gscor.paths import Home; t = time.perf_counter(); "
    "o = ingest_paths([Path(sys.argv[1])], Home(Path(sys.argv[2])), IngestOptions(account_id='bench')); "
    "print(json.dumps([time.perf_counter() - t, sum(x.rows for x in o), [x.message for x in o if x.status != 'loaded']]))"
)


def time_gscor_child(path: Path, home: Path) -> tuple[float, int, int]:
    """gscor's ingest of one file in a fresh process: (seconds, rows, the child's peak RSS in bytes)."""
    import resource
    import subprocess
    import sys

    run = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(home)], capture_output=True, text=True, check=True
    )
    seconds, rows, bad = json.loads(run.stdout.strip().splitlines()[-1])
    if bad:
        raise SystemExit(f"benchmark input was not loaded: {path}: {bad[0]}")
    return seconds, rows, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


def bench_single_file(work: Path, rows: int) -> dict:
    csv_path = work / "Products-2026-09-19.csv"
    write_product_csv(csv_path, rows)
    g_time, g_rows, peak = time_gscor_child(csv_path, work / "home")
    d_time, d_rows = time_duckdb_read_csv([csv_path], skip=5)
    assert g_rows == d_rows == rows, (g_rows, d_rows, rows)
    return {
        "case": "one product table (data-advisor layout, UTF-8 CSV)",
        "rows": rows,
        "bytes": csv_path.stat().st_size,
        "gscor_seconds": round(g_time, 2),
        "gscor_rows_per_s": round(rows / g_time),
        "gscor_peak_rss_mb": round(peak / 2**20),
        "peak_rss_to_file": round(peak / csv_path.stat().st_size, 1),
        "duckdb_read_csv_seconds": round(d_time, 2),
        "duckdb_rows_per_s": round(rows / d_time),
        "ratio_gscor_to_duckdb": round(g_time / d_time, 1),
    }


def bench_generated(work: Path, accounts: int, weeks: int, products: int) -> dict:
    from ..samplegen import generate  # the same generator as scripts/generate_samples.py

    inbox = work / "gen" / "inbox"
    t0 = time.perf_counter()
    generate(out=inbox, accounts=accounts, weeks=weeks, seed=11, account_prefix="bench", products=products)
    gen_time = time.perf_counter() - t0
    home = Home(work / "gen-home")
    start = time.perf_counter()
    outcomes = ingest_paths([inbox], home)
    g_time = time.perf_counter() - start
    bad = [o for o in outcomes if o.status != "loaded"]
    if bad:
        raise SystemExit(f"generated file was not loaded: {bad[0].path}: {bad[0].message}")
    rows = sum(o.rows for o in outcomes)
    # the same rows as one plain CSV per report type, for DuckDB's own reader
    con = duckdb.connect()
    csvs = []
    for rtype in sorted({o.report_type for o in outcomes}):
        out = work / "gen-csv" / f"{rtype}.csv"
        out.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"COPY (SELECT * EXCLUDE (extra_columns) FROM read_parquet('{home.landing / rtype}/*/*.parquet', "
            f"union_by_name=true)) TO '{out}' (HEADER true)"
        ).fetchall()
        csvs.append(out)
    d_time, d_rows = time_duckdb_read_csv(csvs, skip=0)
    assert d_rows == rows, (d_rows, rows)
    return {
        "case": f"generated set: {accounts} accounts × {weeks} weeks × {products} products, "
        f"{len(outcomes)} files (.xls/.xlsx/CSV)",
        "rows": rows,
        "generate_seconds": round(gen_time, 1),
        "gscor_seconds": round(g_time, 2),
        "gscor_rows_per_s": round(rows / g_time),
        "gscor_files_per_s": round(len(outcomes) / g_time, 1),
        "duckdb_read_csv_seconds": round(d_time, 2),
        "duckdb_rows_per_s": round(rows / d_time),
        "ratio_gscor_to_duckdb": round(g_time / d_time, 1),
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--generated", action="store_true", help="also bench a generated multi-account set")
    ap.add_argument("--accounts", type=int, default=20)
    ap.add_argument("--weeks", type=int, default=52)
    ap.add_argument("--products", type=int, default=700, help="products per account in the generated set")
    ap.add_argument("--json", type=Path, help="write the results here too")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="gscor-bench-") as tmp:
        work = Path(tmp)
        results.append(bench_single_file(work, args.rows))
        print(json.dumps(results[-1], ensure_ascii=False))
        if args.generated:
            results.append(bench_generated(work, args.accounts, args.weeks, args.products))
            print(json.dumps(results[-1], ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
