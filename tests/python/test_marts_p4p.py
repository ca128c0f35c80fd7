"""P4P slice (外贸直通车 / 全站推广) marts on the shared built warehouse: fct_p4p_keyword_daily,
fct_p4p_fullsite_product, fct_p4p_keyword_4w, fct_p4p_roi_weekly and rpt_p4p_daily.

The warehouse holds 2 generated accounts (wh-01, wh-02 × 16 weeks) plus the real product and keyword
exports as account ``real`` (see conftest.built_warehouse)."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest
from conftest import REPO, query_db

FX_SEED = REPO / "seeds" / "fx_rates.csv"


def planted(built_warehouse, rule_id: str) -> list[dict]:
    found = [
        p
        for p in built_warehouse["planted"]
        if p["rule_id"] == rule_id
        and p["entity_type"] == "p4p_keyword"
        and not p["near_miss"]
        and p["account_id"].startswith("wh-")
    ]
    assert found, f"the generator planted no P4P keyword for {rule_id}"
    return found


def cny_rate() -> Decimal:
    with FX_SEED.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["currency"] == "CNY"]
    assert len(rows) == 1, "the test assumes one CNY reference rate in the seed"
    return Decimal(rows[0]["rate_to_usd"])


def test_planted_zero_inquiry_keyword_is_the_only_zero_inquiry_spender(built_warehouse):
    db = built_warehouse["db"]
    for p in planted(built_warehouse, "C03"):
        rows = query_db(
            db,
            """select keyword, clicks_4w, inquiries_4w, tm_inquiries_4w, spend_cny_4w, is_zero_opportunity_spender
               from fct_p4p_keyword_4w
               where account_id = ? and is_full_window and is_zero_inquiry_spender and clicks_4w >= 20
                 and period_start = (select max(period_start) from fct_p4p_keyword_4w where account_id = ?)""",
            [p["account_id"], p["account_id"]],
        )
        assert [r[0] for r in rows] == [p["entity_id"]], rows
        _, clicks, inquiries, tm, spend_cny, zero_opportunity = rows[0]
        assert clicks >= 20 and inquiries == 0 and tm == 0 and spend_cny > 0 and zero_opportunity


def test_planted_expensive_keyword_cpc_is_far_above_its_score_peers(built_warehouse):
    db = built_warehouse["db"]
    for p in planted(built_warehouse, "G03"):
        [(cpc, peer_median)] = query_db(
            db,
            """with latest as (
                   select * from fct_p4p_keyword_4w
                   where account_id = ?
                     and period_start = (select max(period_start) from fct_p4p_keyword_4w where account_id = ?))
               select target.cpc_cny_4w,
                      (select median(peer.cpc_cny_4w) from latest as peer
                       where peer.latest_promotion_score = target.latest_promotion_score
                         and peer.keyword <> target.keyword)
               from latest as target where target.keyword = ?""",
            [p["account_id"], p["account_id"], p["entity_id"]],
        )
        assert cpc > Decimal("1.5") * Decimal(str(peer_median)), (p["entity_id"], cpc, peer_median)


def test_cpc_and_cost_per_inquiry_arithmetic(built_warehouse):
    db = built_warehouse["db"]
    [(rows, bad_cpc, bad_null, bad_cpi, off_report, zero_click_rows)] = query_db(
        db,
        """select count(*),
                  count(*) filter (where clicks > 0 and abs(cpc - spend / clicks) > 0.00006),
                  count(*) filter (where clicks = 0 and (cpc is not null or cpc_usd is not null)),
                  count(*) filter (where (inquiries > 0 and abs(cost_per_inquiry - spend / inquiries) > 0.00006)
                                      or (inquiries = 0 and cost_per_inquiry is not null)),
                  count(*) filter (where clicks > 0 and abs(cpc - avg_cpc_reported) > 0.01),
                  count(*) filter (where clicks = 0)
           from fct_p4p_keyword_daily where account_id like 'wh-%'""",
    )
    assert rows > 1000 and zero_click_rows > 0  # the NULL-CPC branch is exercised
    # ratios are rounded to 4 decimals (half away from zero), so allow half a unit of the last place
    assert bad_cpc == 0 and bad_null == 0 and bad_cpi == 0
    # the recomputed CPC agrees with the report's own 平均点击花费 to the cent
    assert off_report == 0
    # the weekly ROI CPC is spend_usd / clicks of both reports
    [(weeks, bad_weekly)] = query_db(
        db,
        """select count(*),
                  count(*) filter (where abs(cpc_usd - spend_usd / clicks) > 0.00006
                                      or abs(roas - ta_amount_usd_attributed / spend_usd) > 1e-9)
           from fct_p4p_roi_weekly where account_id like 'wh-%'""",
    )
    assert weeks == 2 * 16 and bad_weekly == 0


def test_currency_recorded_and_converted_with_the_seed_rate(built_warehouse):
    db = built_warehouse["db"]
    rate = cny_rate()
    for table in ("fct_p4p_keyword_daily", "fct_p4p_fullsite_product"):
        rows = query_db(
            db,
            f"""select spend_currency, fx_rate_to_usd, count(*),
                       count(*) filter (where spend_usd <> round(spend * fx_rate_to_usd, 4)),
                       count(*) filter (where spend_cny <> spend), count(spend_usd)
                from {table} group by all""",
        )
        assert len(rows) == 1, (table, rows)
        currency, used_rate, n, bad_usd, bad_cny, converted = rows[0]
        assert currency == "CNY" and Decimal(str(used_rate)) == rate
        assert n > 0 and bad_usd == 0 and bad_cny == 0 and converted == n


def test_weekly_spend_adds_keyword_and_fullsite_reports(built_warehouse):
    db = built_warehouse["db"]
    [(roi_usd, kw_usd, fs_usd)] = query_db(
        db,
        """select (select sum(spend_usd) from fct_p4p_roi_weekly where account_id = 'wh-01'),
                  (select sum(spend_usd) from fct_p4p_keyword_daily where account_id = 'wh-01'),
                  (select sum(spend_usd) from fct_p4p_fullsite_product where account_id = 'wh-01')""",
    )
    assert fs_usd > 0 and kw_usd > 0
    assert roi_usd == pytest.approx(kw_usd + fs_usd)
    # the real exports carry no P4P report: no P4P rows are invented for that account
    assert query_db(db, "select count(*) from fct_p4p_roi_weekly where account_id = 'real'") == [(0,)]
