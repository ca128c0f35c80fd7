"""Benchmark at scale: generate N stores × W weeks, ingest, full build, one new day for every store (nightly),
and the same model SQL run directly in DuckDB. Prints one JSON line.

    python -m gscor.bench.scale_bench --stores 200 --weeks 52 [--jobs 2] [--verify] [--cache DIR] [--work DIR]
    make bench-scale STORES=200 WEEKS=52

1. The exports (gscor.samplegen, seed 7, ``--jobs`` processes) are generated once per (stores, weeks, seed,
   generator code) into ``--cache`` (default ``~/.cache/gscor/bench``) and reused.
2. A fresh home under ``--work``: ``ingest`` of the whole set, then a full ``gscor build`` (timed, with node counts
   and dbt's model / test seconds), then the compiled SQL of that build run directly in DuckDB
   (gscor.bench.build_bench.run_direct): ``ratio_full_to_direct``.
3. The nightly path: for every store, a one-day 店铺数据 (shop_daily) and 流量来源 (traffic_source) export of the
   day after the set's end (the last day's rows, re-dated), ingested, then ``gscor build`` without
   ``--full-refresh`` (the incremental facts start from the published file): ``nightly_*`` and
   ``ratio_nightly_to_full`` (the issue's goal: ≤ 0.1).
4. ``--verify``: a ``--full-refresh`` build after the nightly one; ``nightly_equals_full`` says whether every
   column of every table holds the same values (count and an order-independent hash per column, floats rounded),
   ``columns_differing`` names the others (``<work>/nightly.duckdb`` keeps the nightly file to look closer).

Peak memory: the largest resident set of this process and of any child (dbt, with DuckDB inside), from
``getrusage`` — Linux reports kilobytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shutil
import time
from pathlib import Path

import duckdb

from ..paths import Home
from ..warehouse import PROJECT_DIR, build
from .build_bench import landing_rows, run_direct

END_DATE = dt.date(2026, 9, 19)  # gscor.samplegen's default end (a Saturday)
SEED = 7
DAILY_FILES = {"ShopOverview": "店铺数据", "TrafficSource": "流量来源"}  # file prefix -> 数据参谋 title


def generator_hash() -> str:
    digest = hashlib.sha256()
    for f in sorted((PROJECT_DIR / "gscor" / "samplegen").glob("*.py")):
        digest.update(f.read_bytes())
    return digest.hexdigest()[:10]


def generated_set(cache: Path, stores: int, weeks: int, jobs: int) -> tuple[Path, float]:
    """The inbox of the generated set (made once, then reused) and the seconds it took now (0 when cached)."""
    from ..samplegen import generate

    root = cache / f"stores{stores}-weeks{weeks}-seed{SEED}-{generator_hash()}"
    inbox, done = root / "inbox", root / ".complete"
    if done.exists():
        return inbox, 0.0
    shutil.rmtree(root, ignore_errors=True)
    t = time.perf_counter()
    generate(inbox, stores, weeks, SEED, account_prefix="store", end_date=END_DATE, jobs=jobs)
    done.touch()
    return inbox, round(time.perf_counter() - t, 2)


def write_next_day(inbox: Path, out: Path) -> int:
    """For every store of ``inbox``: one-day shop_daily and traffic_source exports of END_DATE + 1 (the rows of
    END_DATE, re-dated) under ``out/<store>/``; returns the number of files."""
    import xlrd

    from ..samplegen.writers import write_data_advisor_xls

    day, new_day = END_DATE.isoformat(), (END_DATE + dt.timedelta(days=1)).isoformat()
    n = 0
    for store in sorted(p for p in inbox.iterdir() if p.is_dir()):
        for prefix, title in DAILY_FILES.items():
            sheet = xlrd.open_workbook(str(store / f"{prefix}-{day}.xls")).sheet_by_index(0)
            headers = [str(v) for v in sheet.row_values(5)]
            rows = [[str(v) for v in sheet.row_values(r)] for r in range(6, sheet.nrows)]
            rows = [[new_day if v == day else v for v in row] for row in rows if day in row]
            write_data_advisor_xls(
                out / store.name / f"{prefix}-{new_day}.xls",
                f"{title}, 时间周期 {new_day}~{new_day}",
                headers,
                rows,
            )
            n += 1
    return n


def _ingest(paths: list[Path], home: Home) -> dict:
    from ..ingest import IngestOptions, ingest_paths

    t = time.perf_counter()
    outcomes = ingest_paths(paths, home, IngestOptions())
    seconds = time.perf_counter() - t
    loaded = [o for o in outcomes if o.status == "loaded"]
    bad = [f"{o.path.name}: {o.message}" for o in outcomes if o.status == "quarantined"]
    if bad:
        raise SystemExit(f"quarantined while ingesting: {bad[:5]}")
    return {
        "seconds": round(seconds, 2),
        "files": len(loaded),
        "files_per_second": round(len(loaded) / seconds, 1),
    }


def _build(home: Home, full_refresh: bool) -> dict:
    result = build(home, full_refresh=full_refresh)
    if not result.success:
        raise SystemExit(f"build failed: {result.message}")
    results = home.warehouse / ".dbt" / "target" / "run_results.json"
    run = json.loads(results.read_text(encoding="utf-8")).get("elapsed_time") or 0.0
    return {
        # dbt's wall time less its run of the nodes: start-up and parse (a first build in a home parses in full)
        "dbt_parse_seconds": round((result.timings.get("dbt") or 0.0) - run, 2),
        "seconds": result.elapsed_seconds,
        "mode": result.mode,
        "nodes": sum(result.node_counts.values()),
        "tests": result.node_counts.get("tests", 0),
        "dbt_seconds": result.timings.get("dbt"),
        "model_seconds": result.timings.get("models"),
        "test_seconds": result.timings.get("tests"),
        "slowest": [f"{n} {s}s" for n, s in result.slowest[:3]],
    }


def table_fingerprints(db: Path) -> dict[str, dict[str, tuple]]:
    """Per base table of ``main`` (gscor_build_info left out), per column: row count and an order-independent
    hash of the values — floating-point columns rounded to 9 significant digits first, since a parallel sum
    may differ in its last bits from one run to the next."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols: dict[str, list[tuple[str, str]]] = {}
        for t, c, typ in con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' "
            "AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main') "
            "ORDER BY table_name, column_index"
        ).fetchall():
            if t != "gscor_build_info":
                cols.setdefault(t, []).append((c, typ))
        out = {}
        for t, columns in cols.items():
            exprs = [
                f'round("{c}", 9 - cast(ceil(log10(abs("{c}") + 1e-300)) AS INTEGER))'
                if typ in ("DOUBLE", "FLOAT")
                else f'"{c}"'
                for c, typ in columns
            ]
            row = con.execute(
                "SELECT count(*), "
                + ", ".join(f"sum(hash({e})::HUGEINT)" for e in exprs)
                + f' FROM main."{t}"'
            ).fetchone()
            out[t] = {c: (row[0], h) for (c, _), h in zip(columns, row[1:], strict=True)}
        return out
    finally:
        con.close()


def peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stores", type=int, default=1)
    ap.add_argument("--weeks", type=int, default=30)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes generating the set")
    ap.add_argument("--cache", type=Path, default=Path.home() / ".cache" / "gscor" / "bench")
    ap.add_argument(
        "--work", type=Path, default=None, help="the bench's home (default: under --cache; wiped)"
    )
    ap.add_argument("--verify", action="store_true", help="full-refresh after the nightly build and compare")
    args = ap.parse_args()

    out: dict = {
        "stores": args.stores,
        "weeks": args.weeks,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} cores, {platform.machine()}, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GB",
    }
    inbox, out["generate_seconds"] = generated_set(args.cache, args.stores, args.weeks, args.jobs)
    work = args.work or args.cache / f"work-stores{args.stores}-weeks{args.weeks}"
    shutil.rmtree(work, ignore_errors=True)
    home = Home.resolve(work / "home")

    ingest = _ingest([inbox], home)
    out.update({f"ingest_{k}": v for k, v in ingest.items()})
    out["landing_rows"] = landing_rows(home)
    full = _build(home, full_refresh=True)
    out.update({f"full_{k}": v for k, v in full.items()})
    direct = run_direct(home.warehouse / ".dbt" / "target", home.landing)
    out.update(direct)
    out["ratio_full_to_direct"] = round(full["seconds"] / direct["direct_seconds"], 2)

    nightly_inbox = work / "nightly" / "inbox"  # the account is the folder under an "inbox"
    out["nightly_files"] = write_next_day(inbox, nightly_inbox)
    nightly_ingest = _ingest([nightly_inbox], home)
    nightly = _build(home, full_refresh=False)
    out["nightly_ingest_seconds"] = nightly_ingest["seconds"]
    out.update({f"nightly_build_{k}": v for k, v in nightly.items()})
    out["nightly_seconds"] = round(nightly_ingest["seconds"] + nightly["seconds"], 2)
    out["ratio_nightly_to_full"] = round(out["nightly_seconds"] / (ingest["seconds"] + full["seconds"]), 3)
    out["ratio_nightly_build_to_full_build"] = round(nightly["seconds"] / full["seconds"], 3)

    if args.verify:
        shutil.copyfile(home.published_db, work / "nightly.duckdb")  # kept for a closer look
        incremental = table_fingerprints(home.published_db)
        refresh = _build(home, full_refresh=True)
        out["full_refresh_after_nightly_seconds"] = refresh["seconds"]
        again = table_fingerprints(home.published_db)
        out["columns_differing"] = sorted(
            f"{t}.{c}"
            for t in incremental.keys() | again.keys()
            for c in (incremental.get(t) or {}).keys() | (again.get(t) or {}).keys()
            if (incremental.get(t) or {}).get(c) != (again.get(t) or {}).get(c)
        )
        out["nightly_equals_full"] = not out["columns_differing"]
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
