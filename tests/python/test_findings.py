"""Findings on the session warehouse: every rule fires on its planted entity and spares its near-miss, the
union reconciles with the rule models, coverage names missing exports, and a threshold changed in the seed
changes the outcome (through dbt, on a copy of the project and the warehouse)."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from conftest import project_and_warehouse_copy, query_db
from test_dbt_unit_tests import run_dbt

from gscor.warehouse import PROJECT_DIR

CATALOGUE = PROJECT_DIR / "seeds" / "rule_catalogue.csv"
RULES = [r["rule_id"] for r in csv.DictReader(CATALOGUE.open(encoding="utf-8"))]


def rule_models(db: Path) -> list[str]:
    rows = query_db(
        db,
        "select table_name from information_schema.tables where table_name like 'fnd\\_%' escape '\\' order by 1",
    )
    return [r[0] for r in rows]


def test_every_catalogue_rule_has_a_model_in_the_union(built_warehouse):
    db = built_warehouse["db"]
    models = rule_models(db)
    assert sorted(m.split("_")[1].upper() for m in models) == sorted(RULES)
    per_model = sum(query_db(db, f"select count(*) from {m}")[0][0] for m in models)
    assert query_db(db, "select count(*) from fct_findings")[0][0] == per_model


@pytest.mark.parametrize("rule_id", RULES)
def test_rule_fires_on_the_demo_account(built_warehouse, rule_id):
    n = query_db(
        built_warehouse["db"],
        "select count(*) from fct_findings where account_id = 'wh-01' and rule_id = ?",
        [rule_id],
    )[0][0]
    assert n > 0, f"{rule_id} found nothing on the generated account wh-01"


def planted(built_warehouse, near_miss: bool) -> list[dict]:
    """The generator's plants of the catalogue's rules (X02–X04 are analyses, not rules); store-level
    near-misses (S07's 点击率 at 90% of peers) are about a metric, checked in their own test."""
    return [
        p
        for p in built_warehouse["planted"]
        if p["near_miss"] is near_miss
        and p["rule_id"] in RULES
        and not (near_miss and p["entity_type"] == "store")
    ]


def test_planted_problems_are_found_on_their_entity(built_warehouse):
    found = set(
        query_db(
            built_warehouse["db"], "select account_id, rule_id, entity_type, entity_id from fct_findings"
        )
    )
    missed = [
        p
        for p in planted(built_warehouse, near_miss=False)
        if (p["account_id"], p["rule_id"], p["entity_type"], p["entity_id"]) not in found
    ]
    assert not missed, missed


def test_near_misses_are_not_findings(built_warehouse):
    found = set(query_db(built_warehouse["db"], "select account_id, rule_id, entity_id from fct_findings"))
    hits = [
        p
        for p in planted(built_warehouse, near_miss=True)
        if (p["account_id"], p["rule_id"], p["entity_id"]) in found
    ]
    assert not hits, hits


def test_s07_names_the_metric_below_peers_and_not_the_near_miss(built_warehouse):
    rows = query_db(
        built_warehouse["db"],
        "select distinct metric, evidence_detail like '%点击率%' from fct_findings where rule_id = 'S07'",
    )
    assert rows and {metric for metric, _ in rows} == {"inquiry_rate"}  # 询盘率 at 60% of 同行平均
    assert not any(mentions_ctr for _, mentions_ctr in rows)  # 点击率 at 90%: above the 80% threshold


def test_findings_record_is_complete_and_bilingual(built_warehouse):
    bad = query_db(
        built_warehouse["db"],
        """select rule_id, count(*) from fct_findings
           where impact_estimate is null or impact_estimate < 0 or action_text_zh is null
              or action_text_en is null or not regexp_matches(action_text_zh, '[\\x{4e00}-\\x{9fff}]')
              or entity_id is null or period_start > period_end
           group by rule_id""",
    )
    assert not bad, bad


def test_rules_without_their_export_say_so(built_warehouse):
    db = built_warehouse["db"]
    # the real account loaded only the product and keyword tables
    assert query_db(
        db, "select count(*) from fct_findings where account_id = 'real' and rule_id like 'O%'"
    ) == [(0,)]
    missing = dict(
        query_db(
            db,
            "select rule_id, missing_report_types from fct_rule_coverage where account_id = 'real' and not can_run",
        )
    )
    assert missing["O01"] == "orders"
    assert missing["S01"] == "keyword_ranking|product_catalog"
    assert "G07" not in missing and "G05" not in missing
    assert query_db(
        db, "select count(*) from fct_rule_coverage where account_id = 'wh-01' and not can_run"
    ) == [(0,)]


def test_a_threshold_changed_in_the_seed_changes_the_findings(built_warehouse, tmp_path):
    """The user's way: edit seeds/rule_thresholds.csv (globally, then one account's override row) and rebuild."""
    home = built_warehouse["home"]
    project, db = project_and_warehouse_copy(built_warehouse, tmp_path)
    model = next(m for m in rule_models(db) if m.startswith("fnd_g07_"))

    def g07_counts() -> dict[str, int]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return dict(con.execute(f"select account_id, count(*) from {model} group by 1").fetchall())
        finally:
            con.close()

    before = g07_counts()
    assert before.get("wh-01", 0) > 0 and before.get("wh-02", 0) > 0

    seed = project / "seeds" / "rule_thresholds.csv"
    rows = list(csv.DictReader(seed.open(encoding="utf-8")))
    fields = list(rows[0])
    for r in rows:  # nothing has a million search impressions: the rule cannot fire
        if r["rule_id"] == "G07" and r["parameter"] == "min_impressions" and not r["account_id"]:
            r["value"] = "1000000"
    # … except for wh-02, whose own row puts it back at the default
    rows.append(
        {**rows[0], "rule_id": "G07", "parameter": "min_impressions", "value": "300", "account_id": "wh-02"}
    )
    with seed.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)

    selection = f"rule_thresholds int_rule_thresholds_resolved {model}"
    args = ["build", "--select", selection, "--exclude-resource-type", "unit_test"]
    proc = run_dbt(args, db, tmp_path / "target", home, project=project)
    assert proc.returncode == 0, proc.stdout[-3000:]
    after = g07_counts()
    assert after.get("wh-01", 0) == 0
    assert after.get("wh-02") == before["wh-02"]
