"""The nightly build's consolidated_checks (tests/dbt/generic/consolidated_checks.sql, gscor.warehouse): one test
per model runs that model's simple blocking checks in one query, in place of ~700 single dbt test nodes.

The proof that nothing stopped blocking: on a tampered copy of the session warehouse, dbt runs BOTH the single
tests and the consolidated ones of the tampered models; the single tests that fail must be exactly the checks the
consolidated tests name (gscor.warehouse.failing_checks), and every tamper must be caught.
"""

from __future__ import annotations

import json

import duckdb
from conftest import dbt_on_session_warehouse
from test_dbt_unit_tests import run_dbt

from gscor.warehouse import (
    CONSOLIDATED_PREFIX,
    CONSOLIDATED_TEST,
    CONSOLIDATED_TESTS,
    NodeFailure,
    data_test_selection,
    failing_checks,
    node_summary,
    uncovered_checks,
)

# (model, SQL that breaks one of its checks, the single test that must fail (a substring of its unique_id))
TAMPERS = [
    (
        "stg_alibaba__product_performance",
        "UPDATE stg_alibaba__product_performance SET search_impressions = -5 "
        "WHERE product_performance_sk = (SELECT min(product_performance_sk) FROM stg_alibaba__product_performance)",
        "not_negative_stg_alibaba__product_performance_search_impressions",
    ),
    (
        "stg_alibaba__product_performance",
        "INSERT INTO stg_alibaba__product_performance SELECT * FROM stg_alibaba__product_performance "
        "WHERE product_performance_sk = (SELECT max(product_performance_sk) FROM stg_alibaba__product_performance)",
        "unique_stg_alibaba__product_performance_product_performance_sk",
    ),
    (
        "stg_alibaba__product_performance",
        "UPDATE stg_alibaba__product_performance SET period_end = period_start - 1 "
        "WHERE product_performance_sk = (SELECT max(product_performance_sk) FROM stg_alibaba__product_performance)",
        "expression_is_true_stg_alibaba__product_performance_period_start_period_end",
    ),
    (
        "dim_customer",
        "UPDATE dim_customer SET customer_tier = 'Z' WHERE customer_key = (SELECT min(customer_key) FROM dim_customer)",
        "accepted_values_dim_customer_customer_tier",
    ),
    (
        "dim_customer",
        "UPDATE dim_customer SET account_id = NULL WHERE customer_key = (SELECT max(customer_key) FROM dim_customer)",
        "not_null_dim_customer_account_id",
    ),
    (
        "fct_funnel_weekly",
        "UPDATE fct_funnel_weekly SET ctr = 1.5 WHERE (account_id, period_start) = "
        "(SELECT (account_id, period_start) FROM fct_funnel_weekly ORDER BY period_start LIMIT 1)",
        "accepted_range_fct_funnel_weekly_ctr",
    ),
    (
        "fct_funnel_weekly",
        "INSERT INTO fct_funnel_weekly SELECT * FROM fct_funnel_weekly ORDER BY period_start DESC LIMIT 1",
        "unique_combination_of_columns_fct_funnel_weekly",
    ),
    (
        "fx_rates",  # a seed; accepted_range with inclusive: false: 0 itself fails
        "UPDATE fx_rates SET rate_to_usd = 0 WHERE rowid = (SELECT min(rowid) FROM fx_rates)",
        "accepted_range_fx_rates_rate_to_usd",
    ),
]


def test_consolidated_checks_fail_on_exactly_the_tampered_checks(built_warehouse, tmp_path):
    home = built_warehouse["home"]
    target = tmp_path / "target"
    models = sorted({m for m, _, _ in TAMPERS})
    with dbt_on_session_warehouse(built_warehouse, target) as (db, _env):
        con = duckdb.connect(str(db))
        try:
            for _, sql, _ in TAMPERS:
                con.execute(sql)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        # no exclusion: every single test of these models AND their consolidated_checks
        proc = run_dbt(
            ["test", "--select", " ".join(models), "--exclude-resource-type", "unit_test"], db, target, home
        )
        results = json.loads((target / "run_results.json").read_text())["results"]
        named: set[str] = set()
        consolidated = [r for r in results if r["unique_id"].startswith(CONSOLIDATED_PREFIX)]
        for r in consolidated:
            if r["status"] == "fail":
                found = failing_checks(db, r["compiled_code"], NodeFailure(r["unique_id"], "fail", ""))
                named |= {f.unique_id for f in found}
    assert proc.returncode != 0
    assert len(consolidated) == len(models) and all(r["status"] == "fail" for r in consolidated), [
        (r["unique_id"], r["status"], r["message"]) for r in consolidated
    ]
    manifest = json.loads((target / "manifest.json").read_text())["nodes"]

    def covered(uid: str) -> bool:
        n = manifest.get(uid) or {}
        meta = n.get("test_metadata") or {}
        return meta.get("name") in CONSOLIDATED_TESTS and n["config"]["severity"].lower() == "error"

    single_failed = {r["unique_id"] for r in results if r["status"] == "fail" and covered(r["unique_id"])}
    assert single_failed == named, (sorted(single_failed - named), sorted(named - single_failed))
    for _, _, expected in TAMPERS:
        assert any(expected in uid for uid in named), (expected, sorted(named))
    # the checks that pass on the tampered copy pass in both forms: every other covered test ran and passed
    passed = {r["unique_id"] for r in results if r["status"] == "pass" and covered(r["unique_id"])}
    assert passed and not passed & named


def test_every_model_with_a_blocking_simple_check_has_consolidated_checks(built_warehouse):
    assert uncovered_checks(built_warehouse["target"]) == []
    manifest = json.loads((built_warehouse["target"] / "manifest.json").read_text())["nodes"]
    consolidated = [
        n for n in manifest.values() if (n.get("test_metadata") or {}).get("name") == CONSOLIDATED_TEST
    ]
    assert len(consolidated) >= 100
    # the session build ran them, not the single tests they cover
    build = built_warehouse["build"]
    assert build.node_counts["tests"] < 300 and build.node_counts["models"] >= 100


def test_uncovered_checks_names_a_single_test_left_without_its_consolidated_check(tmp_path):
    def test(uid, name, attached, severity="ERROR"):
        return {
            "unique_id": uid,
            "resource_type": "test",
            "test_metadata": {"name": name, "kwargs": {}},
            "attached_node": attached,
            "config": {"severity": severity},
        }

    nodes = [
        test("test.gscor.not_null_a_x.1", "not_null", "model.gscor.a"),
        test("test.gscor.consolidated_checks_a_.2", CONSOLIDATED_TEST, "model.gscor.a"),
        test("test.gscor.not_null_b_x.3", "not_null", "model.gscor.b"),
        test("test.gscor.accepted_range_b_x.4", "accepted_range", "model.gscor.b", severity="warn"),
        test("test.gscor.relationships_b_x.5", "relationships", "model.gscor.b"),
    ]
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": {n["unique_id"]: n for n in nodes}}))
    assert uncovered_checks(tmp_path) == ["test.gscor.not_null_b_x.3"]


def test_the_nightly_selection_leaves_out_only_error_severity_single_tests():
    nightly = data_test_selection()
    assert nightly[0] == "--exclude" and len(nightly) == 1 + len(CONSOLIDATED_TESTS)
    assert all(s.endswith(",config.severity:error") for s in nightly[1:])
    assert data_test_selection(all_tests=True) == ["--exclude", f"test_name:{CONSOLIDATED_TEST}"]


def test_node_summary_counts_kinds_and_names_the_slowest():
    results = [
        {"unique_id": "model.gscor.a", "status": "success", "execution_time": 1.0},
        {"unique_id": "model.gscor.b", "status": "success", "execution_time": 3.0},
        {"unique_id": "test.gscor.not_null_a_x.123", "status": "pass", "execution_time": 0.1},
        {"unique_id": "seed.gscor.s", "status": "success", "execution_time": 0.5},
        {"unique_id": "exposure.gscor.e", "status": "no-op", "execution_time": 0.0},
    ]
    counts, slowest = node_summary(results, slowest=2)
    assert counts == {"models": 2, "tests": 1, "seeds": 1}
    assert slowest == [("b", 3.0), ("a", 1.0)]
