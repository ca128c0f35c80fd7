"""Traffic domain (stage G, organic and paid): dim_keyword, fct_keyword_period, fct_traffic_channel_daily,
fct_shop_daily and the two weekly reports; the P4P (外贸直通车 / 全站推广) marts fct_p4p_keyword_daily,
fct_p4p_fullsite_product, fct_p4p_keyword_4w, fct_p4p_roi_weekly and rpt_p4p_daily. Read from the session
warehouse (wh-01, wh-02 × 16 weeks + the real product and keyword exports as account ``real``; see
conftest.built_warehouse)."""

from __future__ import annotations

import csv
from decimal import Decimal

import duckdb
import pytest
from conftest import REPO, query_db

REAL_WEEK = ("2026-09-13", "2026-09-19")


@pytest.fixture(scope="module")
def db(built_warehouse):
    return built_warehouse["db"]


def one(db, sql, params=None):
    rows = query_db(db, sql, params)
    assert len(rows) == 1, rows
    return rows[0]


def test_real_keyword_export_reconciles_to_the_unit(db, built_warehouse):
    rows, imp, clk, periods = one(
        db,
        "select count(*), sum(impressions), sum(clicks), count(distinct period_start)"
        " from fct_keyword_period where account_id = 'real'",
    )
    assert (rows, imp, clk, periods) == (500, 26_483, 266, 1)
    start, end, grain = one(
        db,
        "select distinct period_start, period_end, period_grain from fct_keyword_period where account_id = 'real'",
    )
    assert (str(start), str(end), grain) == (*REAL_WEEK, "week")
    # the landing file itself, read independently of dbt
    landing = home_landing(built_warehouse, "keyword_performance", "real")
    con = duckdb.connect()
    assert con.execute(
        f"select count(*), sum(impressions), sum(clicks) from read_parquet({landing})"
    ).fetchone() == (
        500,
        26_483,
        266,
    )
    # the weekly report keeps every event: same totals, 496 distinct keywords
    assert one(
        db,
        "select count(*), sum(impressions), sum(clicks), sum(export_rows) from rpt_keyword_weekly"
        " where account_id = 'real'",
    ) == (496, 26_483, 266, 500)


def home_landing(built_warehouse, report_type: str, account: str) -> list[str]:
    files = sorted((built_warehouse["home"].landing / report_type / f"account={account}").glob("*.parquet"))
    assert files, (report_type, account)
    return [str(f) for f in files]


def test_adidas_is_kept_twice_and_flagged_brand(db):
    rows = query_db(
        db,
        "select source_row, impressions, clicks, is_brand, is_repeated_in_export, keyword_rows_in_period, keyword_key"
        " from fct_keyword_period where account_id = 'real' and keyword = 'adidas' order by source_row",
    )
    assert [(r[1], r[2]) for r in rows] == [(49, 0), (23, 0)]
    assert all(r[3] and r[4] and r[5] == 2 for r in rows)
    assert rows[0][0] != rows[1][0] and rows[0][6] == rows[1][6]
    # four keyword texts repeat in the real export (README of the samples)
    assert one(
        db,
        "select count(distinct keyword_key) from fct_keyword_period"
        " where account_id = 'real' and is_repeated_in_export",
    ) == (4,)
    # in the report: one row, the events added, benchmarks of the row with most impressions
    assert one(
        db,
        "select export_rows, impressions, clicks, is_zero_click_with_impressions, top10_avg_impressions, is_brand"
        " from rpt_keyword_weekly where account_id = 'real' and keyword_normalised = 'adidas'",
    ) == (2, 72, 0, True, 25, True)
    # the recomputed CTR sits beside the exported (rounded) one
    ctr, exported = one(
        db, "select ctr, ctr_exported from fct_keyword_period where account_id = 'real' and keyword = 'shoes'"
    )
    assert ctr == pytest.approx(8 / 1089, rel=1e-6) and exported == pytest.approx(0.007)


def test_dim_keyword_normalises_guesses_language_and_brands(db):
    assert one(db, "select count(*) from dim_keyword where account_id = 'real'") == (496,)
    langs = dict(
        query_db(
            db,
            "select keyword_normalised, language_guess from dim_keyword where account_id = 'real' and keyword_normalised"
            " in ('zapatos de hombre', 'chaussures pour hommes', 'sepatu pria', 'hogan 鞋子', 'shoes',"
            " 'tenis masculino', 'erkek ayakkabi', 'zapatillas para hombres')",
        )
    )
    assert langs == {
        "zapatos de hombre": "es",
        "chaussures pour hommes": "fr",
        "sepatu pria": "id",
        "hogan 鞋子": "zh",
        "shoes": "en",
        "tenis masculino": "pt",
        "erkek ayakkabi": "tr",
        "zapatillas para hombres": "es",  # exported with two spaces: 'zapatillas para  hombres'
    }
    brands = dict(
        query_db(
            db,
            "select keyword_normalised, brand from dim_keyword where account_id = 'real' and keyword_normalised in"
            " ('adidas', 'nike shoes', 'puma', 'asicsshoes', 'on cloud', 'slip on sneakers', 'canvas shoes',"
            " 'snikers')",
        )
    )
    assert brands == {
        "adidas": "adidas",
        "nike shoes": "nike",
        "puma": "puma",
        "asicsshoes": "asics",
        "on cloud": "on",
        "slip on sneakers": None,
        "canvas shoes": None,
        "snikers": None,  # a misspelt "sneakers", not Nike: the brand term is a word match
    }
    # an industry-index keyword the store has no traffic on still has a row (G11 needs it)
    assert one(
        db,
        "select is_in_keyword_performance, latest_search_index, latest_industry_seller_scale_index from dim_keyword"
        " where account_id = 'wh-01' and keyword_normalised = 'zapatillas deportivas hombre'",
    ) == (False, 850, 6)


def test_channel_classes(db):
    rows = query_db(
        db,
        "select channel, channel_class, bool_or(is_unmapped_channel), count(*) from fct_traffic_channel_daily"
        " where account_id = 'wh-01' group by all order by channel",
    )
    classes = {r[0]: r[1] for r in rows}
    assert len(classes) == 12
    assert classes["搜索"] == "natural_search"
    assert classes["外贸直通车"] == "p4p"
    assert classes["会场"] == classes["系统推荐"] == classes["频道"] == "events_channels"
    assert classes["直接访问"] == "direct"
    assert classes["站外"] == "off_site"
    assert classes["其他"] == "other"
    assert not any(r[2] for r in rows)
    assert {r[3] for r in rows} == {16 * 7}
    # one row per account × week × class, 6 classes
    assert one(
        db,
        "select count(distinct channel_class), count(*) / count(distinct period_start)"
        " from rpt_traffic_source_weekly where account_id = 'wh-01'",
    ) == (6, 6)


def test_planted_traffic_problems_are_visible(db, built_warehouse):
    planted = {
        (p["rule_id"], p["entity_id"]) for p in built_warehouse["planted"] if p["account_id"] == "wh-01"
    }
    assert (
        ("G02", "store") in planted
        and ("G04", "会场") in planted
        and ("G05", "sapatos masculinos") in planted
    )
    # G02: natural search ≈34% of (summed daily) visitors over the last 4 weeks, below the 50% threshold
    (share,) = one(
        db,
        "with w as (select *, dense_rank() over (order by period_start desc) as r from rpt_traffic_source_weekly"
        " where account_id = 'wh-01') select sum(visitors_daily_uv_sum) filter (where channel_class ="
        " 'natural_search') / sum(visitors_daily_uv_sum) from w where r <= 4",
    )
    assert 0.28 < share < 0.40
    # G04: 会场 converts far worse than the store as a whole
    venue, store = one(
        db,
        "select sum(inquiry_buyers + tm_buyers) filter (where channel = '会场') / sum(visitors) filter (where channel"
        " = '会场'), sum(inquiry_buyers + tm_buyers) / sum(visitors) from fct_traffic_channel_daily"
        " where account_id = 'wh-01'",
    )
    assert venue < 0.5 * store
    # G01: the latest week's store exposure is well below the week before
    latest, previous = one(
        db,
        "with w as (select period_start - cast(dayofweek(period_start) as integer) as wk, sum(total_impressions) as imp"
        " from fct_shop_daily where account_id = 'wh-01' group by 1)"
        " select max(imp) filter (where wk = (select max(wk) from w)),"
        " max(imp) filter (where wk = (select max(wk) from w) - 7) from w",
    )
    assert latest < 0.8 * previous
    # G05: sapatos masculinos — ≈900 impressions a week at ≈0.1% CTR, far under the Top10 CTR
    imp, ctr, vs_top10 = one(
        db,
        "select impressions, ctr, ctr_vs_top10 from rpt_keyword_weekly where account_id = 'wh-01'"
        " and keyword_normalised = 'sapatos masculinos' order by period_start desc limit 1",
    )
    assert imp >= 200 and ctr < 0.005 and vs_top10 < 0.5
    # G12: the planted brand keywords are flagged
    assert query_db(
        db,
        "select keyword_normalised from dim_keyword where account_id = 'wh-01' and is_brand order by 1",
    ) == [("adidas",), ("nike running shoes",)]


def test_no_unique_visitor_count_summed_without_saying_so(db):
    cols = query_db(
        db,
        "select table_name, column_name from information_schema.columns where table_name in"
        " ('rpt_traffic_source_weekly', 'rpt_keyword_weekly')",
    )
    uv_like = [
        (t, c) for t, c in cols if any(w in c for w in ("visitor", "buyer")) and c != "visitors_is_daily_sum"
    ]
    assert uv_like, "the weekly traffic report must carry visitor figures"
    bad = [(t, c) for t, c in uv_like if "daily_uv_sum" not in c and c != "share_of_week_visitors"]
    assert not bad, bad
    assert one(db, "select bool_and(visitors_is_daily_sum) from rpt_traffic_source_weekly") == (True,)
    # and the weekly sum is exactly the daily figures added (documented as a sum of daily uniques)
    assert one(
        db,
        "select sum(visitors_daily_uv_sum) from rpt_traffic_source_weekly where account_id = 'wh-02'",
    ) == one(db, "select sum(visitors) from fct_traffic_channel_daily where account_id = 'wh-02'")
    # the daily facts keep the exported daily UV untouched, one row per day (and channel)
    assert one(
        db, "select count(*), count(distinct period_start) from fct_shop_daily where account_id = 'wh-01'"
    ) == (
        112,
        112,
    )


# P4P (paid traffic: 外贸直通车 / 全站推广)

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
