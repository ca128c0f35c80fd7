"""Killing ``gscor build`` kills dbt (issue 12 item 5): dbt runs in its own process group with a pid file in
warehouse/.building/; it dies with the parent (PR_SET_PDEATHSIG on kill -9, the group killed on SIGTERM /
SIGINT), and the next build stops a survivor of an earlier build before it wipes .building/."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REAL_PRODUCTS, REPO

from gscor.ingest import IngestOptions, ingest_paths
from gscor.paths import Home
from gscor.warehouse import DBT_PID_FILE, stop_orphaned_dbt


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def wait_for(predicate, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


def small_home(tmp_path: Path) -> Home:
    h = Home(tmp_path / "home")
    outcomes = ingest_paths([REAL_PRODUCTS], h, IngestOptions(account_id="real"))
    assert [o.status for o in outcomes] == ["loaded"]
    return h


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killing_the_build_kills_dbt(tmp_path, sig):
    h = small_home(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.Popen(
        [sys.executable, "-m", "gscor.cli", "build", "--home", str(h.root)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # as from a terminal: a job started in the background by a non-interactive shell (nohup … &) inherits
        # SIGINT ignored, and Python then leaves Ctrl-C ignored instead of raising KeyboardInterrupt
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    pid_file = h.warehouse / ".building" / DBT_PID_FILE
    try:
        assert wait_for(pid_file.exists, 60), "dbt never started"
        dbt = json.loads(pid_file.read_text())
        assert wait_for(lambda: alive(dbt["pid"]), 10)
        time.sleep(1)  # dbt is importing / parsing
        parent.send_signal(sig)
        parent.wait(30)
        assert wait_for(lambda: not alive(dbt["pid"]), 15), f"dbt {dbt['pid']} survived the build's {sig!r}"
        assert not any(
            alive(int(p.name))
            for p in Path("/proc").iterdir()
            if p.name.isdigit() and _in_group(p, dbt["pgid"])
        )
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def _in_group(proc: Path, pgid: int) -> bool:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[2]) == pgid
    except (OSError, ValueError, IndexError):
        return False


def test_the_next_build_stops_a_survivor_before_it_runs(tmp_path):
    """A dbt that outlived its build (PR_SET_PDEATHSIG is Linux only): the next build, holding the lock, finds
    it through the pid file (pid, group and start time), stops its group and only then wipes .building/."""
    h = Home(tmp_path / "home")
    building = h.warehouse / ".building"
    building.mkdir(parents=True)
    orphan = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        from gscor.warehouse import _proc_start_time

        pid_file = building / DBT_PID_FILE
        pid_file.write_text(
            json.dumps({"pid": orphan.pid, "pgid": orphan.pid, "start_time": _proc_start_time(orphan.pid)})
        )
        notes = stop_orphaned_dbt(h.warehouse)
        assert wait_for(lambda: orphan.poll() is not None, 15)
        assert any(str(orphan.pid) in n for n in notes), notes
        # a recorded pid now used by another process (start time differs) is left alone
        other = subprocess.Popen(["sleep", "300"], start_new_session=True)
        pid_file.write_text(json.dumps({"pid": other.pid, "pgid": other.pid, "start_time": 1}))
        assert stop_orphaned_dbt(h.warehouse) == []
        assert other.poll() is None
        other.kill()
        other.wait()
    finally:
        if orphan.poll() is None:
            orphan.kill()
        orphan.wait()
