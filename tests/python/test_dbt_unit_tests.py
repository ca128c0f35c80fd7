"""dbt ``unit_tests:`` (the SQL of the rules, the unit values, the effect verdicts …) run once here, against a
copy of the session warehouse — the nightly ``gscor build`` leaves them out (see gscor.warehouse.build). dbt
re-uses the session build's parse (conftest.dbt_on_session_warehouse)."""

from __future__ import annotations

import json
import subprocess

from conftest import dbt_on_session_warehouse

from gscor.warehouse import PROJECT_DIR, _dbt_executable, dbt_env, seed_parse


def run_dbt(args: list[str], db, target, home, project=PROJECT_DIR) -> subprocess.CompletedProcess:
    """dbt as ``gscor build`` runs it: in the home's folder, paths relative to it. A target folder without a
    parse starts from the builds' shared one (``seed_parse``); dbt keeps it only if the profile renders the same,
    i.e. ``db`` is at the build's path, ``home.building_db`` (else dbt parses the project again: ~20 s)."""
    env = dbt_env(home, db)
    if project == PROJECT_DIR:
        seed_parse(target)
    cmd = [
        *_dbt_executable(),
        *args,
        "--project-dir",
        str(project),
        "--profiles-dir",
        str(project),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
    ]
    return subprocess.run(cmd, env=env, cwd=home.root, capture_output=True, text=True, timeout=900)


def test_every_dbt_unit_test_passes_and_every_rule_has_one(built_warehouse, tmp_path):
    home = built_warehouse["home"]
    target = tmp_path / "target"
    with dbt_on_session_warehouse(built_warehouse, target) as (
        db,
        _env,
    ):  # db: …/gscor.duckdb, the catalog name
        proc = run_dbt(["test", "--select", "test_type:unit"], db, target, home)
    results = json.loads((target / "run_results.json").read_text())["results"]
    failed = [r["unique_id"] for r in results if r["status"] != "pass"]
    assert proc.returncode == 0 and not failed, (failed, proc.stdout[-4000:])

    manifest = json.loads((target / "manifest.json").read_text())
    tested = {n["model"] for n in manifest["unit_tests"].values()}
    rule_models = {
        n["name"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["name"].startswith("fnd_")
    }
    assert rule_models, "no rule models found"
    assert not rule_models - tested, f"rule models without a dbt unit test: {sorted(rule_models - tested)}"
    assert len(results) == len(manifest["unit_tests"])
