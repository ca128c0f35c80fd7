"""Great Expectations: the publish gate of `gscor build` (gscor/quality.py, suites from gx/gscor_checkpoint.yml).

Runs on the session warehouse (``built_warehouse``) with a private copy of the repository's GX project, so
test runs never write validation results or suites into the repository.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import duckdb
import pytest
import yaml
from typer.testing import CliRunner

from gscor import quality
from gscor.errors import QualityCheckFailed
from gscor.paths import Home

REPO = Path(__file__).resolve().parents[2]
# dbt already tests these on the marts (models/**/*.yml): the suites must not repeat them
DBT_KINDS = ("expect_column_values_to_not_be_null", "expect_column_values_to_be_unique")


def _context_copy(dest: Path, config: dict | None = None) -> Path:
    """A copy of gx/ (without uncommitted/), optionally with another gscor_checkpoint.yml."""
    shutil.copytree(REPO / "gx", dest, ignore=shutil.ignore_patterns("uncommitted"))
    if config is not None:
        (dest / quality.CONFIG_NAME).write_text(yaml.safe_dump(config), encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def configured() -> dict:
    return quality.load_config(REPO / "gx")


def test_checkpoint_passes_on_the_built_warehouse(built_warehouse, tmp_path, configured):
    result = quality.run_checkpoint(built_warehouse["db"], _context_copy(tmp_path / "gx"))
    assert result.success, result.describe()
    assert result.failed == 0 and not result.problems
    assert {m.mart for m in result.marts} == set(configured)
    # every frame ran its whole suite, on real rows
    for m in result.marts:
        assert m.rows > 0, m
        assert m.evaluated == len(quality.build_expectations(configured[m.mart].checks)), m
    assert result.evaluated >= 10
    result.raise_for_failure()  # no exception
    # the file context stores the suites as GX JSON; none repeats what dbt tests
    suite = tmp_path / "gx" / "expectations" / "fct_funnel_weekly.json"
    assert suite.exists()
    for path in (tmp_path / "gx" / "expectations").glob("*.json"):
        assert not any(kind in path.read_text(encoding="utf-8") for kind in DBT_KINDS), path
    # the derived frame: one row per account, no more weekly rows than weeks spanned
    weeks = next(m for m in result.marts if m.mart == "funnel_weeks_per_account")
    assert weeks.rows == 3  # wh-01, wh-02, real


def test_checkpoint_fails_on_a_broken_mart(built_warehouse, tmp_path):
    broken = tmp_path / "broken" / "gscor.duckdb"
    broken.parent.mkdir()
    shutil.copy(built_warehouse["db"], broken)
    con = duckdb.connect(str(broken))
    try:
        # a week of wh-01's funnel duplicated off the Sunday grid (a missing week is a gap, not an error)
        con.execute(
            "INSERT INTO fct_funnel_weekly SELECT * REPLACE (period_start + 1 AS period_start,"
            " period_end + 1 AS period_end) FROM fct_funnel_weekly WHERE account_id = 'wh-01'"
            " ORDER BY period_start LIMIT 1 OFFSET 5"
        )
        # clicks above impressions on keyword rows
        con.execute("UPDATE fct_keyword_period SET clicks = impressions + 5 WHERE account_id = 'wh-01'")
    finally:
        con.close()

    result = quality.run_checkpoint(broken, _context_copy(tmp_path / "gx"), ephemeral=True)
    assert not result.success
    by_mart = {m.mart: m for m in result.marts}
    weeks = by_mart["funnel_weeks_per_account"]
    assert weeks.failed == 1 and "greater_than_b" in weeks.failures[0], weeks.failures
    keywords = by_mart["fct_keyword_period"]
    assert any("greater_than_b" in f and "impressions" in f for f in keywords.failures), keywords.failures
    # the untouched marts still pass
    assert by_mart["fct_product_period"].failed == 0
    with pytest.raises(QualityCheckFailed, match="funnel_weeks_per_account"):
        result.raise_for_failure()


def test_a_tolerance_lets_a_few_odd_rows_through(built_warehouse, tmp_path):
    config = {
        "marts": {"fct_conversations": {"between": {"reply_hours": {"min": 0, "max": 1, "mostly": 0.0}}}}
    }
    result = quality.run_checkpoint(
        built_warehouse["db"], _context_copy(tmp_path / "gx", config), ephemeral=True
    )
    assert result.success and result.evaluated == 1, result.describe()
    config["marts"]["fct_conversations"]["between"]["reply_hours"]["mostly"] = 1.0
    result = quality.run_checkpoint(
        built_warehouse["db"], _context_copy(tmp_path / "gx2", config), ephemeral=True
    )
    assert not result.success and result.failed == 1


def test_checkpoint_that_evaluates_nothing_fails(built_warehouse, tmp_path):
    result = quality.run_checkpoint(built_warehouse["db"], _context_copy(tmp_path / "gx", {"marts": {}}))
    assert not result.success
    assert result.evaluated == 0
    assert any("validated nothing" in p for p in result.problems)


def test_checkpoint_fails_when_a_listed_mart_is_missing(built_warehouse, tmp_path):
    config = {
        "marts": {
            "fct_does_not_exist": {"ordered": [["a", "b"]]},
            "fct_keyword_period": {"ordered": [["clicks", "impressions"]]},
        }
    }
    result = quality.run_checkpoint(built_warehouse["db"], _context_copy(tmp_path / "gx", config))
    assert not result.success
    assert result.evaluated == 1 and result.failed == 0
    assert any("fct_does_not_exist" in p for p in result.problems)


def test_a_failing_expectation_blocks_the_publish(built_warehouse, tmp_path, monkeypatch):
    """`gscor build` runs the gate on the built file: a failure exits 1 and the published file stays as it was."""
    from gscor.cli import app

    home = Home(tmp_path / "home")
    # without the session home's .building/: dbt_on_session_warehouse may be using it on another worker
    shutil.copytree(built_warehouse["home"].root, home.root, ignore=shutil.ignore_patterns(".building*"))
    before = hashlib.sha256(home.published_db.read_bytes()).hexdigest()
    failing = {"marts": {"fct_funnel_weekly": {"between": {"impressions": {"min": 0, "max": 0}}}}}
    monkeypatch.setattr(quality, "DEFAULT_CONTEXT_ROOT", _context_copy(tmp_path / "gx", failing))

    res = CliRunner().invoke(app, ["build", "--select", "dim_date", "--home", str(home.root)])
    assert res.exit_code == 1, res.output
    assert "build failed" in res.output and "gx:fct_funnel_weekly" in res.output
    assert "quality gate failed" in res.output and quality.CONFIG_NAME in res.output
    assert "published warehouse left as it was" in res.output
    assert hashlib.sha256(home.published_db.read_bytes()).hexdigest() == before
    assert not home.building_db.parent.exists()
