"""A run of many files is loaded by worker processes (gscor/ingest/loader.py, GSCOR_INGEST_WORKERS): the landing
zone, the manifest and the load numbers must be what one process makes."""

from __future__ import annotations

import json

from conftest import REAL_KEYWORDS, REAL_PRODUCTS, landed, read_rows, write_rows


def _run(tmp_path, monkeypatch, files, name, workers):
    from gscor.ingest import ingest_paths, loader
    from gscor.paths import Home

    monkeypatch.setenv("GSCOR_INGEST_WORKERS", str(workers))
    assert loader.ingest_workers(100) == workers
    home = Home(tmp_path / name)
    return home, ingest_paths(files, home)


def test_workers_land_what_one_process_lands(tmp_path, monkeypatch):
    import datetime as dt

    inbox = tmp_path / "inbox" / "par"
    for week in range(12):  # twelve weeks of the real store's two exports, and one file to quarantine mid-run
        end = dt.date(2026, 9, 19) - dt.timedelta(weeks=week)
        span = f"{end - dt.timedelta(days=6)}~{end}"
        for source in (REAL_PRODUCTS, REAL_KEYWORDS):
            rows = read_rows(source)
            rows[0][0] = rows[0][0].replace("2026-09-13~2026-09-19", span)
            write_rows(inbox / source.name.replace("2026-09-19", str(end)), rows)
    (inbox / "notes.pdf").write_bytes(b"%PDF-1.4 not an export")
    files = sorted(inbox.iterdir())
    one_home, one = _run(tmp_path, monkeypatch, files, "one", 1)
    two_home, two = _run(tmp_path, monkeypatch, files, "two", 2)

    assert len(one) == len(two) == 25
    assert [(o.path, o.status, o.report_type, o.rows) for o in one] == [
        (o.path, o.status, o.report_type, o.rows) for o in two
    ]
    assert [o.status for o in two].count("quarantined") == 1
    # load numbers follow the order the run took the files, whichever worker loaded each
    seqs = [o.load_seq for o in two if o.status == "loaded"]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert [o.load_seq for o in one] == [o.load_seq for o in two]
    for report_type in sorted({o.report_type for o in one if o.status == "loaded"}):
        strip = lambda rows: [{k: v for k, v in r.items() if k != "loaded_at"} for r in rows]  # noqa: E731
        assert strip(landed(one_home, report_type)) == strip(landed(two_home, report_type)), report_type
    records = sorted((two_home.manifest).rglob("*.json"))
    assert len(records) == len(seqs)
    assert {json.loads(p.read_text(encoding="utf-8"))["load_seq"] for p in records} == set(seqs)
    # the next run continues the sequence past the reserved block, loading nothing twice
    _, again = _run(tmp_path, monkeypatch, files, "two", 2)
    assert {o.status for o in again} == {"skipped", "quarantined"}


def test_workers_that_cannot_start_leave_the_files_to_the_caller(tmp_path):
    """A caller whose main module the workers cannot re-import (a script read from stdin): every worker dies at
    start, the pool breaks, and the calling process loads every file itself."""
    import os
    import subprocess
    import sys

    inbox = tmp_path / "inbox" / "acme"
    for week in range(3):
        rows = read_rows(REAL_KEYWORDS)
        rows[0][0] = rows[0][0].replace(
            "2026-09-13~2026-09-19", f"2026-08-{10 + 7 * week:02d}~2026-08-{16 + 7 * week:02d}"
        )
        write_rows(inbox / f"getKeywords-{week}.csv", rows)
    script = (
        "import json, sys\nfrom pathlib import Path\nfrom gscor.ingest import ingest_paths\nfrom gscor.paths import Home\n"
        f"out = ingest_paths([Path({str(inbox)!r})], Home(Path({str(tmp_path / 'home')!r})))\n"
        "print(json.dumps([(o.status, o.rows, o.load_seq) for o in out]))\n"
    )
    env = {**os.environ, "GSCOR_INGEST_WORKERS": "2"}
    run = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, env=env, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert [(status, seq) for status, _, seq in got] == [("loaded", 1), ("loaded", 2), ("loaded", 3)]
