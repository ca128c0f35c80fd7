"""Effect tracking over the session warehouse (no ledger in it): the staged empty ledger, and the weekly series
fct_entity_metric_weekly reconciled to the marts it is built from. The verdicts themselves are dbt unit tests
(models/marts/actions/_actions__models.yml); the ledger is tested in test_actions.py."""

from __future__ import annotations

import csv

import pytest
from conftest import REPO, query_db

from gscor.actions import LEDGER_COLUMNS, ledger_parquet


@pytest.fixture(scope="module")
def db(built_warehouse):
    return built_warehouse["db"]


def test_build_stages_an_empty_ledger_and_an_empty_effects_mart(db, built_warehouse):
    assert ledger_parquet(built_warehouse["home"]).exists()
    assert built_warehouse["build"].ledger_problems == []
    assert query_db(db, "select count(*) from fct_action_effects") == [(0,)]
    cols = [c for (c,) in query_db(db, "select column_name from (describe stg_actions__ledger)")]
    assert cols[: len(LEDGER_COLUMNS)] == LEDGER_COLUMNS


def test_every_trackable_metric_has_a_weekly_series(db):
    with open(REPO / "seeds" / "effect_metrics.csv", encoding="utf-8") as fh:
        vocabulary = {(r["entity_type"], r["metric"]) for r in csv.DictReader(fh)}
    built = set(
        query_db(
            db, "select distinct entity_type, metric from fct_entity_metric_weekly where account_id = 'wh-01'"
        )
    )
    assert built == vocabulary
    # Sunday–Saturday weeks only
    assert query_db(
        db,
        "select count(*) from fct_entity_metric_weekly where dayofweek(week_start) != 0 or week_end != week_start + 6",
    ) == [(0,)]


def test_series_reconcile_to_their_marts(db):
    # store visitors are fct_funnel_weekly's, week by week (never re-summed), flagged when they are daily-UV sums
    assert query_db(
        db,
        "select count(*) from fct_entity_metric_weekly s join fct_funnel_weekly f"
        " on s.account_id = f.account_id and s.week_start = f.period_start"
        " where s.entity_type = 'store' and s.metric = 'visitors'"
        " and (s.value is distinct from f.visitors or s.is_daily_uv_sum != coalesce(f.visitors_is_daily_sum, false))",
    ) == [(0,)]
    # product visitors are the weekly export's unique visitors, one week at a time
    assert query_db(
        db,
        "select count(*) from fct_entity_metric_weekly s join fct_product_period p"
        " on s.account_id = p.account_id and s.entity_id = p.product_id and s.week_start = p.period_start"
        " where p.period_grain = 'week' and s.entity_type = 'product' and s.metric = 'visitors'"
        " and s.value != p.visitors",
    ) == [(0,)]
    # additive series keep every unit of their source (densified weeks add zeros only)
    (a, b) = query_db(
        db,
        "select (select sum(value) from fct_entity_metric_weekly where entity_type = 'keyword' and metric = 'impressions'),"
        " (select sum(impressions) from fct_keyword_period where period_grain = 'week')",
    )[0]
    assert a == b
    (a, b) = query_db(
        db,
        "select (select round(sum(value), 2) from fct_entity_metric_weekly where entity_type = 'p4p_keyword'"
        " and metric = 'spend_cny'), (select round(sum(spend_cny), 2) from fct_p4p_keyword_daily)",
    )[0]
    assert a == pytest.approx(float(b))
    # a channel is tracked by its canonical name and by its class; both add up to the same visitors
    classes = "('natural_search', 'p4p', 'events_channels', 'direct', 'off_site', 'other')"
    (by_name, by_class) = query_db(
        db,
        f"select sum(case when entity_id not in {classes} then value else 0 end),"
        f" sum(case when entity_id in {classes} then value else 0 end)"
        " from fct_entity_metric_weekly where entity_type = 'channel' and metric = 'visitors'",
    )[0]
    assert by_name == by_class > 0


def test_rule_metric_series_carry_the_weekly_findings_values(db):
    # a weekly rule's finding is tracked by the same number: its value is the series' value of that week
    weekly_rules = "('C05', 'C06', 'C07', 'G10', 'S01', 'S03', 'S05')"
    rows = query_db(
        db,
        "select f.rule_id, count(*), count(s.entity_id),"
        " sum(case when f.value is not distinct from s.value"
        " or abs(f.value - s.value) < 1e-9 then 1 else 0 end)"
        " from fct_findings f left join fct_entity_metric_weekly s"
        " on s.account_id = f.account_id and s.entity_type = f.entity_type and s.entity_id = f.entity_id"
        " and s.metric = f.metric and s.week_end = f.period_end"
        f" where f.rule_id in {weekly_rules} and f.period_grain = 'week' group by f.rule_id",
    )
    assert rows
    for rule_id, findings, matched, equal in rows:
        assert findings == matched == equal, rule_id
    # every finding of the tracked rule metrics has a series for its entity (4-week rules included)
    assert query_db(
        db,
        "select count(*) from fct_findings f join effect_metrics m"
        " on f.entity_type = m.entity_type and f.metric = m.metric"
        " where not exists (select 1 from fct_entity_metric_weekly s where s.account_id = f.account_id"
        " and s.entity_type = f.entity_type and s.entity_id = f.entity_id and s.metric = f.metric)"
        " and f.rule_id in ('C04', 'C05', 'C06', 'C07', 'G10', 'G11', 'S01', 'S03', 'S05')",
    ) == [(0,)]


def test_festival_straddling_actions_are_judged_against_comparables_or_confounded(built_warehouse, tmp_path):
    """Issue 10 item 10: two actions done on 2026-08-19 on wh-01, whose 4-week windows (07-19..09-19) straddle
    九月采购节 (warm-up from 08-15). The product's search clicks are judged against the store's other, untouched
    products (difference in differences: verdict_basis vs_comparables); the store's visitors have no comparables
    (the store is the entity): confounded, and the reason names the festival."""
    import datetime as dt
    import shutil

    from gscor.actions import append_actions, mark_done
    from gscor.paths import Home
    from gscor.warehouse import build

    h = Home(tmp_path / "home")
    shutil.copytree(built_warehouse["home"].root, h.root)
    [(product,)] = query_db(
        built_warehouse["db"],
        "select entity_id from fct_entity_metric_weekly where account_id = 'wh-01' and entity_type = 'product'"
        " and metric = 'search_clicks' group by entity_id having min(value) > 0 order by sum(value) desc limit 1",
    )
    base = {
        "finding_id": "f" * 32,
        "rule_id": "G07",
        "entity_label": "x",
        "value_at_creation": 1,
        "action_code": "TEST_SEASON",
        "action_text_zh": "x",
        "action_text_en": "x",
        "owner": "x",
        "due_date": dt.date(2026, 8, 29),
    }
    rows = append_actions(
        h,
        "wh-01",
        [
            {**base, "entity_type": "product", "entity_id": product, "metric": "search_clicks"},
            {**base, "rule_id": "C02", "entity_type": "store", "entity_id": "store", "metric": "visitors"},
        ],
        created_on=dt.date(2026, 8, 16),
        report_period_end=dt.date(2026, 8, 15),
    )
    for row in rows:
        mark_done(h, row["action_id"], dt.date(2026, 8, 19))
    result = build(h, select="stg_actions__ledger+")
    assert result.success, result.message
    got = {
        r[0]: r[1:]
        for r in query_db(
            result.published,
            "select entity_type, verdict, verdict_basis, festival_codes, control_entities, window_weeks,"
            " verdict_reason from fct_action_effects where account_id = 'wh-01'",
        )
    }
    verdict, basis, festivals, controls, weeks, _ = got["product"]
    assert weeks == 4 and "SUPER_SEPT_2026" in festivals
    assert basis == "vs_comparables" and controls >= 3 and verdict in ("improved", "worse", "no_effect")
    verdict, basis, festivals, controls, _, reason = got["store"]
    assert (verdict, basis, controls) == ("confounded", None, 0)
    assert "SUPER_SEPT_2026" in festivals and "SUPER_SEPT_2026" in reason
