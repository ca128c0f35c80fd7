"""MetricFlow over the built warehouse: dbt's parse → ``mf validate-configs`` → ``mf query``.

``mf`` reads ``<project>/target/semantic_manifest.json`` (a fixed path) and opens the DuckDB file of the
profile, so the test makes a private copy of the dbt project whose target/ holds the semantic manifest dbt
wrote when it parsed the project for the session build (``built_warehouse["target"]``: the file ``dbt parse``
writes — no second parse), and points the profile at a copy of the warehouse named ``gscor.duckdb`` — dbt
qualifies relations with the catalog, i.e. the file's stem, so the copy must keep that name.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import query_db

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_DIRS = ("models", "macros", "seeds", "analyses", "tests/dbt")


@pytest.fixture(scope="module")
def mf_project(built_warehouse, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("semantic")
    project = root / "project"
    project.mkdir()
    for name in PROJECT_FILES:
        shutil.copy(REPO / name, project / name)
    for name in PROJECT_DIRS:
        if (REPO / name).exists():
            shutil.copytree(REPO / name, project / name)
    db = root / "warehouse" / "gscor.duckdb"
    db.parent.mkdir()
    shutil.copy(built_warehouse["db"], db)
    env = {
        **os.environ,
        "GSCOR_HOME": str(built_warehouse["home"].root),
        "GSCOR_DUCKDB_PATH": str(db),
        "DBT_PROFILES_DIR": str(project),
        "DBT_PROJECT_DIR": str(project),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    (project / "target").mkdir()
    for name in ("manifest.json", "semantic_manifest.json"):
        shutil.copy(built_warehouse["target"] / name, project / "target" / name)
    assert (project / "target" / "semantic_manifest.json").exists()
    return {"project": project, "db": db, "env": env, "root": root}


def mf(mf_project: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "mf"), *args],
        env=mf_project["env"],
        cwd=mf_project["project"],
        capture_output=True,
        text=True,
        timeout=600,
    )


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_mf_validate_configs(mf_project):
    run = mf(mf_project, "validate-configs")
    out = run.stdout + run.stderr
    assert run.returncode == 0, out[-4000:]
    assert "Successfully validated the semantics of built manifest (ERRORS: 0" in out, out[-4000:]
    assert "Successfully validated metrics against data warehouse (ERRORS: 0" in out, out[-4000:]


def test_mf_query_impressions_and_inquiries_by_week(mf_project):
    out_csv = mf_project["root"] / "impressions_inquiries.csv"
    run = mf(
        mf_project,
        "query",
        "--metrics", "impressions,inquiries",
        "--group-by", "metric_time__week",
        "--order", "metric_time__week",
        "--csv", str(out_csv),
    )  # fmt: skip
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    rows = read_csv(out_csv)
    assert len(rows) >= 10, rows
    assert {"metric_time__week", "impressions", "inquiries"} <= set(rows[0])
    assert sum(float(r["impressions"] or 0) for r in rows) > 0
    assert sum(float(r["inquiries"] or 0) for r in rows) > 0


def test_mf_funnel_metrics_visitors_are_not_summed_over_weeks(mf_project):
    """visitors is non-additive over time: a month shows the last week of the month, not the sum of weeks."""
    out_csv = mf_project["root"] / "visitors_month.csv"
    run = mf(
        mf_project,
        "query",
        "--metrics", "visitors,inquiry_rate",
        "--group-by", "metric_time__month,account",
        "--where", "{{ Entity('account') }} = 'wh-01'",
        "--csv", str(out_csv),
    )  # fmt: skip
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    rows = read_csv(out_csv)
    assert rows, run.stdout
    expected = dict(
        query_db(
            mf_project["db"],
            """
            select strftime(date_trunc('month', period_end), '%Y-%m'), arg_max(visitors, period_end)
            from fct_funnel_weekly where account_id = 'wh-01' group by 1
            """,
        )
    )
    sums = dict(
        query_db(
            mf_project["db"],
            """
            select strftime(date_trunc('month', period_end), '%Y-%m'), sum(visitors)
            from fct_funnel_weekly where account_id = 'wh-01' group by 1
            """,
        )
    )
    checked = 0
    for r in rows:
        month = r["metric_time__month"][:7]
        assert float(r["visitors"]) == pytest.approx(expected[month]), (month, r)
        if sums[month] != expected[month]:
            checked += 1
    assert checked >= 2  # months with more than one week: the sum would have differed
