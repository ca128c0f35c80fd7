"""Issue 12 item 4: a BI client that opens the published warehouse read-write must not break it. The publish
refuses while a read-write client holds the file (naming it), moves a write-ahead log another program left
beside the file aside (kept), and the report names the cause of a foreign WAL instead of blaming "busy"."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pytest

from gscor.errors import ReportError
from gscor.report.data import connect
from gscor.warehouse import FOREIGN_WAL_DIR, BuildResult, publish


def warehouse_file(path, table: str):
    con = duckdb.connect(str(path))
    con.execute(f"create table {table} as select 1 as x")
    con.close()
    return path


def python(code: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def test_publish_refuses_while_a_read_write_client_holds_the_warehouse(tmp_path):
    published = warehouse_file(tmp_path / "gscor.duckdb", "old_build")
    temp = warehouse_file(tmp_path / "new.duckdb", "new_build")
    client = python(
        "import duckdb, sys, time\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "con.execute('create table bi_scratch as select 42 as y')\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n",
        published,
    )
    try:
        assert client.stdout.readline().strip() == "ready"
        result = BuildResult(success=False, published=None)
        assert publish(temp, published, result) is False
        assert "read-write" in result.message and "read-only" in result.message
        assert "PID" in result.message or "pid" in result.message  # DuckDB names the holder
    finally:
        client.kill()
        client.wait()
    assert temp.exists()
    con = duckdb.connect(str(published), read_only=True)  # the old file, with the client's own change
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert "old_build" in tables and "new_build" not in tables  # not replaced


def test_a_foreign_wal_is_moved_aside_and_the_new_warehouse_opens(tmp_path):
    published = warehouse_file(tmp_path / "gscor.duckdb", "old_build")
    # a BI client that wrote to the old file and died before a checkpoint leaves gscor.duckdb.wal
    writer = python(
        "import duckdb, os, sys\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "con.execute('PRAGMA disable_checkpoint_on_shutdown')\n"
        "con.execute('SET checkpoint_threshold = \\'10GB\\'')\n"
        "con.execute('create table bi_scratch as select range as y from range(1000)')\n"
        "os._exit(0)\n",
        published,
    )
    writer.wait(timeout=60)
    wal = tmp_path / "gscor.duckdb.wal"
    assert wal.exists(), "the simulated client left no WAL"
    wal_bytes = wal.read_bytes()
    temp = warehouse_file(tmp_path / "new.duckdb", "new_build")

    # without the move, the new file would pair with the old file's WAL
    paired = tmp_path / "paired"
    paired.mkdir()
    (paired / "gscor.duckdb").write_bytes(temp.read_bytes())
    (paired / "gscor.duckdb.wal").write_bytes(wal_bytes)
    with pytest.raises(ReportError, match="wal"):
        connect(paired / "gscor.duckdb").close()

    result = BuildResult(success=False, published=None)
    assert publish(temp, published, result) is True
    assert not wal.exists()
    kept = list((tmp_path / FOREIGN_WAL_DIR).glob("gscor.duckdb.*.wal"))
    assert len(kept) == 1 and kept[0].read_bytes() == wal_bytes  # nothing lost
    assert any("foreign-wal" in n for n in result.notes)
    con = connect(published)
    try:
        tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert tables == {"new_build"}
