"""Great Expectations checkpoint over the marts (gscor/quality.py, context in gx/).

Runs on the session warehouse (``built_warehouse``) with a private copy of the repository's GX project, so
test runs never write validation results or suites into the repository.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from gscor import quality

REPO = Path(__file__).resolve().parents[2]


def _context_copy(dest: Path, marts: dict | None = None) -> Path:
    """A copy of gx/ (without uncommitted/), optionally with another mart list in gscor_checkpoint.yml."""
    shutil.copytree(REPO / "gx", dest, ignore=shutil.ignore_patterns("uncommitted"))
    if marts is not None:
        (dest / quality.CONFIG_NAME).write_text(yaml.safe_dump({"marts": marts}), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def configured_marts() -> dict:
    return quality.load_config(REPO / "gx")


def test_checkpoint_passes_on_the_built_warehouse(built_warehouse, tmp_path, configured_marts):
    result = quality.run_checkpoint(built_warehouse["db"], _context_copy(tmp_path / "gx"))
    assert result.success, result.describe()
    assert result.failed == 0 and not result.problems
    assert {m.mart for m in result.marts} == set(configured_marts)
    # every mart ran its whole suite, on real rows
    for m in result.marts:
        assert m.rows > 0, m
        assert m.evaluated == len(quality.build_expectations(configured_marts[m.mart])), m
    assert result.evaluated >= 40
    result.raise_for_failure()  # no exception
    # the suites are stored in the file context, as GX JSON
    assert (tmp_path / "gx" / "expectations" / "fct_funnel_weekly.json").exists()


def test_checkpoint_fails_on_a_broken_mart(built_warehouse, tmp_path):
    broken = tmp_path / "broken" / "gscor.duckdb"
    broken.parent.mkdir()
    shutil.copy(built_warehouse["db"], broken)
    con = duckdb.connect(str(broken))
    try:
        con.execute(
            "UPDATE fct_funnel_weekly SET impressions = -100 WHERE account_id = 'wh-01' "
            "AND period_start = (SELECT max(period_start) FROM fct_funnel_weekly WHERE account_id = 'wh-01')"
        )
        con.execute(
            "UPDATE fct_order_lines SET order_id = NULL WHERE order_line_key = (SELECT min(order_line_key) FROM fct_order_lines)"
        )
    finally:
        con.close()

    result = quality.run_checkpoint(broken, _context_copy(tmp_path / "gx"))
    assert not result.success
    by_mart = {m.mart: m for m in result.marts}
    funnel = by_mart["fct_funnel_weekly"]
    assert funnel.failed >= 1
    assert any("impressions" in f and "between" in f for f in funnel.failures), funnel.failures
    orders = by_mart["fct_order_lines"]
    assert any("not_be_null" in f and "order_id" in f for f in orders.failures), orders.failures
    # the untouched marts still pass
    assert by_mart["fct_product_period"].failed == 0
    with pytest.raises(quality.QualityCheckFailed, match="impressions"):
        result.raise_for_failure()


def test_checkpoint_that_evaluates_nothing_fails(built_warehouse, tmp_path):
    result = quality.run_checkpoint(built_warehouse["db"], _context_copy(tmp_path / "gx", marts={}))
    assert not result.success
    assert result.evaluated == 0
    assert any("validated nothing" in p for p in result.problems)


def test_checkpoint_fails_when_a_listed_mart_is_missing(built_warehouse, tmp_path):
    marts = {"fct_does_not_exist": {"min_rows": 1}, "fct_funnel_weekly": {"min_rows": 1}}
    result = quality.run_checkpoint(built_warehouse["db"], _context_copy(tmp_path / "gx", marts=marts))
    assert not result.success
    assert result.evaluated == 1 and result.failed == 0
    assert any("fct_does_not_exist" in p for p in result.problems)
