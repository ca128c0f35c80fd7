"""The action plan on synthetic finding dicts (no dbt): one action per problem (grouping by rule × period ×
group_key), cross-rule families, conflicts, ranking by impact → severity → size, stable ledger keys."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from gscor.report import plan as planning
from gscor.report import problems, writers
from gscor.report.i18n import Lang
from gscor.report.view import _problem_view

E = dt.date(2026, 9, 19)
L = Lang("both")


def f(
    fid: str,
    rule: str,
    entity_id: str,
    impact: float | None = 1.0,
    *,
    severity: str = "medium",
    group_key: str | None = None,
    entity_type: str = "keyword",
    action_code: str = "OPTIMIZE_MAIN_IMAGE_TITLE",
    estimate: float = 1.0,
    metric: str = "ctr",
    **kw,
) -> dict:
    return {
        "finding_id": fid,
        "account_id": "acme",
        "rule_id": rule,
        "stage": rule[0],
        "severity": severity,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "entity_label": kw.pop("label", entity_id),
        "period_grain": "week",
        "period_start": E - dt.timedelta(days=6),
        "period_end": E,
        "metric": metric,
        "value": 0.01,
        "threshold": 0.02,
        "benchmark": 0.03,
        "impact_estimate": estimate,
        "impact_unit": "clicks",
        "impact_usd": impact,
        "action_code": action_code,
        "action_text_zh": f"处理「{entity_id}」",
        "action_text_en": f'Fix "{entity_id}"',
        "owner": None,
        "evidence_detail": None,
        "cadence": "weekly",
        "title_zh": f"规则 {rule}",
        "title_en": f"Rule {rule}",
        "owner_role_zh": "运营",
        "owner_role_en": "Operations",
        "group_key": group_key,
        **kw,
    }


def brands(n: int = 168) -> list[dict]:
    return [
        f(f"g12-{i}", "G12", f"nike shoes {i}", 0.5, severity="high", group_key="brand",
          action_code="REMOVE_BRAND_KEYWORD", metric="impressions")
        for i in range(n)
    ]  # fmt: skip


def plan_of(findings: list[dict], cap: int = 10) -> list[dict]:
    return planning.action_plan(planning.rank_findings(findings), E, cap, L)


# ---------------------------------------------------------------- grouping


def test_one_rule_one_group_is_one_action_naming_its_entities():
    plan = plan_of(brands())
    (a,) = plan
    assert (a["rule_id"], a["entity_type"], a["entity_id"]) == ("G12", "keyword", "group:brand")
    assert a["entity_count"] == 168 and len(a["entities"]) == 168
    assert a["impact_usd"] == pytest.approx(168 * 0.5)  # the sum over the entities
    assert a["severity"] == "high"
    # the text names the first few and says how many more
    assert "nike shoes 0" in a["action_text_en"] and "and 163 more" in a["action_text_en"]
    assert "另 163 个" in a["action_text_zh"]
    assert a["entity_label"].endswith("+163")


def test_null_group_key_is_a_problem_of_its_own_and_periods_do_not_merge():
    rows = [f("a", "G05", "k1"), f("b", "G05", "k2")]
    assert len(plan_of(rows)) == 2
    later = f("c", "G12", "x", group_key="brand", action_code="REMOVE_BRAND_KEYWORD")
    earlier = {
        **f("d", "G12", "y", group_key="brand", action_code="REMOVE_BRAND_KEYWORD"),
        "period_end": E - dt.timedelta(days=7),
    }
    ps = problems.group([later, earlier])
    assert len(ps) == 2  # rule × period × group_key
    # …but one ledger key: the plan keeps the better one only
    assert len(plan_of([later, earlier])) == 1


def test_missing_group_key_column_is_tolerated():
    rows = [f("a", "G05", "k1"), f("b", "G05", "k2")]
    for r in rows:
        del r["group_key"]
    assert [a["entity_id"] for a in plan_of(rows)] == ["k1", "k2"]


# ---------------------------------------------------------------- families


def test_c02_and_s07_are_one_action_with_both_as_evidence():
    c02 = f(
        "c02", "C02", "store", 30.0, entity_type="store", action_code="FIX_FUNNEL_LEAK", metric="inquiry_rate"
    )
    s07 = f("s07", "S07", "store", 40.0, severity="high", entity_type="store", action_code="CLOSE_PEER_GAP",
            metric="inquiry_rate")  # fmt: skip
    (a,) = plan_of([c02, s07])
    assert a["rule_id"] == "C02" and a["family"] == "funnel_rate_below_peers"  # the first rule listed leads
    assert a["rules"] == ["C02", "S07"]
    assert {e["finding_id"]: e["role"] for e in a["entities"]} == {"c02": "entity", "s07": "evidence"}
    assert a["impact_usd"] == 40.0  # one loss counted once: the larger, not 70
    assert a["severity"] == "high"
    assert ("S07", "store", "store", "CLOSE_PEER_GAP") in a["alternate_keys"]


def test_g06_and_c03_merge_on_the_same_keyword_only():
    g06 = f("g06", "G06", "led strip", 5.0, action_code="IMPROVE_DETAIL_PAGE_PRICE", metric="clicks")
    c03 = f("c03", "C03", "LED  Strip", 9.0, entity_type="p4p_keyword", action_code="PAUSE_P4P_KEYWORD",
            metric="clicks")  # fmt: skip
    other = f("c03b", "C03", "rope light", 1.0, entity_type="p4p_keyword", action_code="PAUSE_P4P_KEYWORD")
    plan = plan_of([g06, c03, other])
    assert len(plan) == 2
    merged = next(a for a in plan if a["family"])
    assert merged["rule_id"] == "G06" and merged["impact_usd"] == 9.0
    assert [e["finding_id"] for e in merged["entities"]] == ["g06", "c03"]


# ---------------------------------------------------------------- conflicts


def test_no_ctr_work_on_a_brand_keyword():
    g05 = [
        f("g05-nike", "G05", "nike shoes 3", 50.0, group_key="es"),
        f("g05-sneaker", "G05", "zapatillas", 20.0, group_key="es"),
        f("g05-only-brand", "G05", "nike shoes 4", 10.0),
    ]
    plan = plan_of([*brands(10), *g05])
    texts = " ".join(a["action_text_en"] for a in plan if a["rule_id"] != "G12")
    assert "nike shoes" not in " ".join(
        e["entity_id"] for a in plan if a["rule_id"] != "G12" for e in a["entities"]
    )
    g05_action = next(a for a in plan if a["rule_id"] == "G05")
    assert [e["entity_id"] for e in g05_action["entities"]] == ["zapatillas"]
    assert g05_action["impact_usd"] == 20.0  # the brand keyword's impact left with it
    (x,) = g05_action["excluded_entities"]
    assert (x["entity_id"], x["conflict"]) == ("nike shoes 3", "no_promotion_of_brand_keywords")
    assert (
        "nike" not in texts
    )  # the action text names only what to work on; the left-out one stands beside it
    assert "Left out: nike shoes 3" in writers.action_plan_csv(plan, "acme", E)
    assert not any(a["finding_id"] == "g05-only-brand" for a in plan)  # a problem left empty is dropped
    # without G12 nothing is left out
    assert len(plan_of(g05)) == 2


def test_conflict_keeps_actions_that_do_not_promote_the_keyword():
    c03 = f("c03", "C03", "nike shoes 1", 3.0, entity_type="p4p_keyword", action_code="PAUSE_P4P_KEYWORD")
    plan = plan_of([*brands(3), c03])
    assert any(a["rule_id"] == "C03" for a in plan)


# ---------------------------------------------------------------- ranking


def test_ranked_by_impact_then_severity_then_size_never_alphabetical():
    rows = [
        f("a", "G01", "aaa", None, severity="high"),  # unknown impact: after every known
        f("b", "S05", "b", 3.0, severity="low"),
        f("c", "G05", "c", 3.0, severity="high"),  # same impact, higher severity first
        f("d", "C01", "d", 1.0, estimate=2.0),
        f("e", "O01", "e", 1.0, estimate=9.0),  # same impact and severity: the bigger first (not C < O)
        f("g1", "G09", "z1", 0.6, group_key="p", action_code="X"),
        f("g2", "G09", "z2", 0.6, group_key="p", action_code="X"),  # a group: 1.2 in all
    ]
    plan = plan_of(rows)
    assert [a["finding_id"] for a in plan] == ["c", "b", "g1", "e", "d", "a"]
    assert plan[2]["impact_usd"] == pytest.approx(1.2)


def test_size_breaks_ties_by_number_of_entities():
    one = f("one", "C01", "x", 2.0, estimate=2.0)
    two = [f(f"t{i}", "R02", f"y{i}", 1.0, estimate=1.0, group_key="q", action_code="Y") for i in range(2)]
    assert [a["rule_id"] for a in plan_of([one, *two])] == ["R02", "C01"]  # same impact 2, 2 entities first


def test_all_impacts_unknown_ranks_by_severity_and_size():
    rows = [
        f("a", "G05", "alpha", None, severity="medium", estimate=5.0),
        f("b", "S03", "beta", None, severity="high", estimate=1.0),
        f("c", "G07", "gamma", None, severity="medium", estimate=9.0),
    ]
    assert [a["finding_id"] for a in plan_of(rows)] == ["b", "c", "a"]


# ---------------------------------------------------------------- impact texts, ledger keys, documents


def test_impact_basis_and_note_when_present():
    rows = [
        f(
            "a",
            "G05",
            "k1",
            2.0,
            group_key="es",
            impact_basis_zh="每周…",
            impact_basis_en="per week; 10 clicks × USD 0.2",
        ),
        f(
            "b",
            "G05",
            "k2",
            1.0,
            group_key="es",
            impact_basis_zh="每周…",
            impact_basis_en="per week; 5 clicks × USD 0.2",
        ),
        f(
            "c",
            "S05",
            "p",
            None,
            severity="high",
            impact_note_zh="缺少…",
            impact_note_en="no value chain: no orders",
        ),
    ]
    a, c = plan_of(rows)
    assert a["impact_basis_en"] == "sum of 2 objects; e.g. per week; 10 clicks × USD 0.2"
    assert c["impact_note_en"] == "no value chain: no orders" and c["impact_usd"] is None
    v = _problem_view(c)
    assert v["impact_note"] == ("缺少…", "no value chain: no orders")


def test_group_ledger_key_is_stable_and_old_per_entity_actions_carry_over():
    week1 = brands(3)
    week2 = [{**r, "finding_id": r["finding_id"] + "-w2"} for r in brands(5)]
    k1 = plan_of(week1)[0]
    k2 = plan_of(week2)[0]
    assert (
        planning.ledger_items([k1])[0]["entity_id"]
        == planning.ledger_items([k2])[0]["entity_id"]
        == "group:brand"
    )
    # a ledger written before grouping: one open action per brand keyword
    old = [
        {"action_id": "act_00000000a1", "status": "open", "rule_id": "G12", "entity_type": "keyword",
         "entity_id": "nike shoes 1", "action_code": "REMOVE_BRAND_KEYWORD", "created_on": "2026-09-07"},
        {"action_id": "act_00000000a0", "status": "open", "rule_id": "G12", "entity_type": "keyword",
         "entity_id": "nike shoes 0", "action_code": "REMOVE_BRAND_KEYWORD", "created_on": "2026-09-01"},
    ]  # fmt: skip
    plan = plan_of(week2)
    rows = planning.match_open_actions(plan, old)
    assert rows[0]["action_id"] == "act_00000000a0"  # the oldest open one
    assert planning.ledger_items(plan)[0]["entity_id"] == "nike shoes 0"
    planning.apply_ledger_rows(plan, rows, E + dt.timedelta(days=1))
    assert plan[0]["carried_over"] and plan[0]["action_id"] == "act_00000000a0"
    # an open row under the group key itself wins
    own = {**old[0], "action_id": "act_00000000b0", "entity_id": "group:brand", "created_on": "2026-09-14"}
    plan = plan_of(week2)
    assert planning.match_open_actions(plan, [*old, own])[0]["action_id"] == "act_00000000b0"


def test_family_keeps_its_ledger_key_when_the_other_rule_leads_a_week():
    s07_only = [f("s07", "S07", "store", 40.0, entity_type="store", action_code="CLOSE_PEER_GAP")]
    ledger = [{"action_id": "act_00000000c0", "status": "open", "rule_id": "C02", "entity_type": "store",
               "entity_id": "store", "action_code": "FIX_FUNNEL_LEAK", "created_on": "2026-09-07"}]  # fmt: skip
    both = [*s07_only, f("c02", "C02", "store", 30.0, entity_type="store", action_code="FIX_FUNNEL_LEAK")]
    plan = plan_of(both)
    assert planning.match_open_actions(plan, ledger)[0]["action_id"] == "act_00000000c0"


def test_findings_document_has_one_record_per_problem_and_validates():
    rows = [*brands(20), f("x", "S05", "p1", 3.0, entity_type="product", action_code="REPRICE_PRODUCT")]
    ranked = planning.rank_findings(rows)
    plan = planning.action_plan(ranked, E, 10, L)
    for a in plan:
        a["due_date"] = planning.due_date(a["severity"], E)
    doc = writers.findings_document(
        "acme", E, dt.datetime(2026, 9, 20, tzinfo=dt.UTC), "both", 10, ranked, plan, [], []
    )
    writers.validate_document(doc)
    assert doc["schema_version"] == "2.0"
    assert len(doc["findings"]) == 2
    g12 = next(r for r in doc["findings"] if r["rule_id"] == "G12")
    assert len(g12["entities"]) == 20 and g12["entity_id"] == "group:brand"
    assert {e["entity_id"] for e in g12["entities"]} == {f"nike shoes {i}" for i in range(20)}
    json.dumps(doc)  # plain JSON values
    jsonschema.Draft202012Validator.check_schema(writers.schema())
    csv = writers.action_plan_csv(plan, "acme", E)
    assert "nike shoes 19" in csv  # the sheet lists every object


def test_problems_yml_is_consistent():
    cfg = problems.config()
    seen: set[str] = set()
    for fam in cfg["families"]:
        assert len(fam["rules"]) >= 2 and not seen & set(fam["rules"])
        seen |= set(fam["rules"])
        assert fam["match"] in ("entity", "keyword") and fam["title_zh"] and fam["title_en"]
    for c in cfg["conflicts"]:
        assert c["flagged_by"] and c["drop_action_codes"] and c["reason_zh"] and c["reason_en"]
    for key in (
        "impact_explained",
        "entities",
        "also_evidence",
        "left_out",
        "impact_basis",
        "impact_unknown",
    ):
        zh, en = problems.label(key)
        assert zh and en


def test_one_rule_on_one_entity_with_one_action_is_one_problem():
    """Two current findings of one rule on one entity with one action code (two metrics, or a week and a
    month row) share the action's ledger key: one problem, not two records."""
    a = f("c02-ctr", "C02", "store", 3.0, entity_type="store", action_code="FIX_FUNNEL_LEAK", metric="ctr")
    b = {
        **f("c02-inq", "C02", "store", 5.0, entity_type="store", action_code="FIX_FUNNEL_LEAK"),
        "metric": "inquiry_rate",
    }
    (p,) = problems.build_problems([a, b])
    assert p.entity_count == 1 and p.impact_usd == 8.0 and p.lead["finding_id"] == "c02-inq"
    (item,) = plan_of([a, b])
    assert item["action_text_en"] == 'Fix "store"'  # one object: the finding's own text
