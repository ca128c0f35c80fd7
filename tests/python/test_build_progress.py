"""The build's progress bar and timing summary, from dbt's JSON log (unit: no dbt run).

``data/dbt_build_events.jsonl`` holds lines dbt-core 1.11.16 wrote with ``--log-format json
--no-use-colors``: the start of a failing ``dbt build --select stg_alibaba__product_performance+``
(408 nodes; one not_negative test fails, its children are skipped) and its closing events, plus the
NO-OP line of an exposure from another run and one line that is not JSON (as a Python warning would be).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gscor.cli.render import timing_line
from gscor.warehouse import DbtProgress

LOG = Path(__file__).parent / "data" / "dbt_build_events.jsonl"


def lines() -> list[str]:
    return LOG.read_text(encoding="utf-8").splitlines()


def test_progress_counts_done_over_total_and_the_running_node():
    events = DbtProgress()
    seen = []
    for line in lines():
        if events.feed(line):
            seen.append(events.snapshot())
    assert events.total == 408  # ConcurrencyLine's node_count: the selection, not the whole project
    # 8 nodes ran (1 model, 7 tests), 4 were skipped after the failure, 1 exposure was a no-op
    assert events.done == 13
    assert events.statuses == {"success": 1, "pass": 6, "fail": 1, "skipped": 4, "no-op": 1}
    assert events.running == {} and events.current is None
    assert events.seconds["models"] == pytest.approx(0.21979213)
    assert events.seconds["tests"] == pytest.approx(
        0.15433073 + 0.14264369 + 0.084323406 + 0.07390976 + 0.10208845 + 0.109244585 + 0.0659349
    )
    assert [s.done for s in seen] == sorted(s.done for s in seen)  # never goes backwards
    assert all(s.total == 408 for s in seen)
    tail = list(events.tail)  # the last messages, JSON or not: dbt's own error when it stops early
    assert any("a line that is not JSON" in t for t in tail)
    assert tail[-1].startswith("Done. PASS=") and "ERROR=1" in tail[-1]


def test_the_current_node_is_the_last_started_one_still_running():
    events = DbtProgress()
    for line in lines():
        events.feed(line)
        data = json.loads(line).get("data", {}) if line.startswith("{") else {}
        if data.get("index") == 3 and json.loads(line)["info"]["name"] == "LogStartLine":
            break
    # test 2 started, then test 3: both running, 3 shown; the model (1) is done
    assert events.done == 1
    assert len(events.running) == 2
    assert events.current == "accepted_range_stg_alibaba__product_performance_search_ctr__1__0"


def test_a_result_counts_once_and_garbage_is_ignored():
    events = DbtProgress()
    result = next(line for line in lines() if '"LogModelResult"' in line)
    assert events.feed(result) and not events.feed(result)
    assert events.done == 1
    assert not events.feed("") and not events.feed("{not json") and not events.feed('{"info": {}}')


def test_timing_line_names_each_phase_and_the_node_seconds():
    line = timing_line(
        {"prepare": 1.04, "dbt": 61.0, "models": 40.12, "tests": 30.2, "quality gate": 4.0, "publish": 0.31}
    )
    assert line == (
        "time: prepare 1.0s, dbt 61.0s (models 40.1s, tests 30.2s summed over threads), "
        "quality gate 4.0s, publish 0.3s"
    )


def test_where_time_went_names_node_counts_and_the_slowest_nodes():
    from types import SimpleNamespace

    from gscor.cli.render import where_time_went

    r = SimpleNamespace(
        node_counts={"models": 114, "seeds": 14, "tests": 182},
        slowest=[("fct_findings", 1.23), ("fct_action_effects", 0.9)],
        all_tests=False,
    )
    assert where_time_went(r) == (
        "nodes: 114 models, 14 seeds, 182 tests; slowest: fct_findings 1.2s, fct_action_effects 0.9s"
    )
    assert "--all-tests" in where_time_went(
        SimpleNamespace(node_counts={"tests": 900}, slowest=[], all_tests=True)
    )
    assert where_time_went(SimpleNamespace(node_counts={}, slowest=[], all_tests=False)) is None
