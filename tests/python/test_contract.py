"""The contract between the warehouse and the report (docs/architecture.md).

The report reads exactly ``gscor.report.data.WAREHOUSE_RELATIONS``; the exposure ``gscor_weekly_report`` in
models/exposures.yml lists exactly those relations; every model among them is ``access: public`` with an
enforced contract (a data_type for every column), so a change to a column the report reads fails ``dbt build``
instead of the report. Seeds cannot carry a contract: the seeds the report reads pin every column's type with
``column_types`` instead. Read from the manifest dbt wrote when it parsed the project for the session build
(``built_warehouse["target"]``: the same manifest.json ``dbt parse`` writes; no second parse).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
REPORT_EXPOSURE = "gscor_weekly_report"


def exposure(name: str) -> dict:
    data = yaml.safe_load((REPO / "models" / "exposures.yml").read_text(encoding="utf-8"))
    found = [e for e in data["exposures"] if e["name"] == name]
    assert len(found) == 1, f"exposure {name} not found once in models/exposures.yml"
    return found[0]


def exposure_relations(name: str) -> set[str]:
    refs = set()
    for dep in exposure(name)["depends_on"]:
        m = re.fullmatch(r"ref\(\s*['\"]([a-z0-9_]+)['\"]\s*\)", dep.strip())
        assert m, f"{name}: depends_on entry {dep!r} is not a plain ref()"
        refs.add(m.group(1))
    return refs


@pytest.fixture(scope="module")
def manifest(built_warehouse) -> dict:
    return json.loads((built_warehouse["target"] / "manifest.json").read_text(encoding="utf-8"))


def test_exposure_lists_exactly_what_the_report_reads():
    from gscor.report.data import WAREHOUSE_RELATIONS

    assert len(set(WAREHOUSE_RELATIONS)) == len(WAREHOUSE_RELATIONS), "duplicates in WAREHOUSE_RELATIONS"
    assert exposure_relations(REPORT_EXPOSURE) == set(WAREHOUSE_RELATIONS)


def test_report_relations_are_public_models_with_enforced_contracts(manifest):
    relations = exposure_relations(REPORT_EXPOSURE)
    by_name = {n["name"]: n for n in manifest["nodes"].values() if n["package_name"] == "gscor"}
    assert relations <= set(by_name), sorted(relations - set(by_name))
    models = {r for r in relations if by_name[r]["resource_type"] == "model"}
    assert models, "the report reads no model?"
    for name in sorted(models):
        node = by_name[name]
        assert node["access"] == "public", f"{name}: access {node['access']}"
        assert node["config"]["contract"]["enforced"] is True, f"{name}: contract not enforced"
        assert node["columns"], f"{name}: no columns declared"
        untyped = sorted(c for c, col in node["columns"].items() if not col.get("data_type"))
        assert not untyped, f"{name}: columns without data_type: {untyped}"
        if node["config"]["materialized"] == "incremental":
            assert node["config"]["on_schema_change"] in ("fail", "append_new_columns"), name
    # the exposure as dbt resolved it depends on the same nodes
    exp = manifest["exposures"][f"exposure.gscor.{REPORT_EXPOSURE}"]
    assert {uid.split(".")[-1] for uid in exp["depends_on"]["nodes"]} == relations


def test_report_seeds_pin_every_column_type(manifest):
    relations = exposure_relations(REPORT_EXPOSURE)
    seeds = [n for n in manifest["nodes"].values() if n["resource_type"] == "seed" and n["name"] in relations]
    for seed in seeds:
        with (REPO / seed["original_file_path"]).open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        assert set(seed["config"]["column_types"]) == set(header), seed["name"]


def test_exposure_command_uses_real_cli_flags():
    from typer.testing import CliRunner

    from gscor.cli import app

    command = exposure(REPORT_EXPOSURE)["meta"]["command"]
    assert command.startswith("gscor report")
    help_text = CliRunner().invoke(app, ["report", "--help"], env={"COLUMNS": "200"}).output
    for flag in re.findall(r"--[a-z][a-z-]*", command):
        assert flag in help_text, f"{flag} is not an option of gscor report"
