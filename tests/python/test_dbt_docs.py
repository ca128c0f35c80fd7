"""``dbt docs generate`` against a copy of the built warehouse: the catalog lists every model of the project.

The copy keeps the file name ``gscor.duckdb``: dbt qualifies relations with the catalog (the file's stem).
dbt writes into its own target/log paths under tmp, never the repository's target/, and re-uses the session
build's parse (conftest.dbt_on_session_warehouse).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import dbt_on_session_warehouse

REPO = Path(__file__).resolve().parents[2]
DBT = Path(sys.executable).with_name("dbt")


def test_docs_generate_catalog_lists_every_model(built_warehouse, tmp_path):
    target = tmp_path / "target"
    with dbt_on_session_warehouse(built_warehouse, target) as (_db, env):
        run = subprocess.run(
            [str(DBT), "docs", "generate", "--project-dir", str(REPO), "--profiles-dir", str(REPO),
             "--target-path", str(target), "--log-path", str(tmp_path / "logs")],
            env=env, cwd=built_warehouse["home"].root, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]

    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    catalog = json.loads((target / "catalog.json").read_text(encoding="utf-8"))
    assert not catalog.get("errors"), catalog.get("errors")
    models = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == "gscor"
    }
    assert len(models) >= 30, sorted(models)  # staging (18) + intermediate + marts + semantic
    missing = sorted(uid for uid in models if uid not in catalog["nodes"])
    assert not missing, f"models not in catalog.json: {missing}"
    # the catalog holds real column metadata, e.g. the funnel's CLI columns
    funnel = catalog["nodes"]["model.gscor.fct_funnel_weekly"]["columns"]
    for col in ("account_id", "period_grain", "period_start", "period_end", "impressions", "clicks", "visitors",
                "inquiries", "tm_buyers", "ta_orders"):  # fmt: skip
        assert col in funnel, col
    # seeds are documented too (the trade calendar)
    assert "seed.gscor.trade_calendar" in catalog["nodes"]
    # the docs site is written
    assert (target / "index.html").exists()
