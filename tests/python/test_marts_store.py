"""Store slice (stage S) marts on the shared built warehouse: dim_product, fct_product_period,
fct_store_snapshot, fct_peer_benchmark and rpt_product_monthly.

The warehouse holds 2 generated accounts (wh-01, wh-02 × 16 weeks) plus the real product and keyword
exports as account ``real`` (see conftest.built_warehouse)."""

from __future__ import annotations

import pytest
from conftest import query_db

REAL_SHA = "e45f1751eca24ec468698f102dfe91e37d194cc63f50689a1aa2e511bd312e70"


def planted(built_warehouse, rule_id: str, near_miss: bool = False) -> list[dict]:
    found = [
        p
        for p in built_warehouse["planted"]
        if p["rule_id"] == rule_id and p["near_miss"] == near_miss and p["account_id"].startswith("wh-")
    ]
    assert found, f"the generator planted no {rule_id} (near_miss={near_miss})"
    return found


def test_real_product_export_reconciles_to_the_unit(built_warehouse):
    db = built_warehouse["db"]
    [(rows, products, impressions, clicks, inquiries, grains)] = query_db(
        db,
        """select count(*), count(distinct product_id), sum(search_impressions), sum(search_clicks),
                  sum(inquiries), string_agg(distinct period_grain || ' ' || period_start || '~' || period_end)
           from fct_product_period where account_id = 'real'""",
    )
    assert (rows, products) == (365, 365)
    assert (impressions, clicks, inquiries) == (54_082, 630, 18)
    assert grains == "week 2026-09-13~2026-09-19"
    # every real row traces back to the real file
    [(traced,)] = query_db(
        db,
        "select count(*) from fct_product_period where account_id = 'real' and source_sha256 = ?",
        [REAL_SHA],
    )
    assert traced == 365
    # the real account has no catalog: all 365 products are named from the export and not in a catalog
    [(dim_rows, named, in_catalog, sources)] = query_db(
        db,
        """select count(*), count(product_name), count(*) filter (where is_in_catalog),
                  string_agg(distinct product_name_source)
           from dim_product where account_id = 'real'""",
    )
    assert (dim_rows, named, in_catalog, sources) == (365, 365, 0, "product_performance")


def test_opportunity_buyers_90d_stays_null_never_zero(built_warehouse):
    """The real export prints '-' in 近90天商机人数: unknown, so NULL in every mart, never 0."""
    db = built_warehouse["db"]
    [(rows, present, zeros)] = query_db(
        db,
        """select count(*), count(opportunity_buyers_90d), count(*) filter (where opportunity_buyers_90d = 0)
           from fct_product_period where account_id = 'real'""",
    )
    assert (rows, present, zeros) == (365, 0, 0)
    [(monthly_rows, monthly_present)] = query_db(
        db,
        "select count(*), count(opportunity_buyers_90d) from rpt_product_monthly where account_id = 'real'",
    )
    assert monthly_rows == 365 and monthly_present == 0


def test_exported_inquiry_rate_is_inquiries_per_visitor(built_warehouse):
    """The real 询盘率 is 询盘个数 / 访问人数 (3 inquiries from 6 visitors print 50% although 1 buyer asked);
    inquiry_rate_computed is buyers / visitors and NULL without visitors."""
    db = built_warehouse["db"]
    [(exported, computed, per_visitor)] = query_db(
        db,
        """select inquiry_rate, inquiry_rate_computed, inquiries_per_visitor from fct_product_period
           where account_id = 'real' and product_id = '1601943611671'""",
    )
    assert exported == pytest.approx(0.5)
    assert per_visitor == pytest.approx(0.5)
    assert computed == pytest.approx(1 / 6)
    [(zero_visitor_rows, null_rates)] = query_db(
        db,
        """select count(*), count(*) filter (where inquiry_rate_computed is null)
           from fct_product_period where account_id = 'real' and visitors = 0""",
    )
    assert zero_visitor_rows > 0 and null_rates == zero_visitor_rows


def test_planted_s01_weak_keyword_rank_is_visible(built_warehouse):
    db = built_warehouse["db"]
    for p in planted(built_warehouse, "S01"):
        [(featured,)] = query_db(
            db,
            "select is_featured from dim_product where account_id = ? and product_id = ?",
            [p["account_id"], p["entity_id"]],
        )
        assert featured is True
        rows = query_db(
            db,
            """select weakest_keyword, weakest_keyword_best_page, keywords_checked, keywords_on_top3_pages
               from fct_product_period
               where account_id = ? and product_id = ? and ranking_checks > 0""",
            [p["account_id"], p["entity_id"]],
        )
        assert len(rows) >= 8, rows
        assert all(r[0] == "walking shoes" and r[1] == 5 for r in rows), rows
        assert all(r[3] == r[2] - 1 for r in rows), rows


def test_planted_s02_quality_as_of_each_period(built_warehouse):
    db = built_warehouse["db"]
    for p, expected in [(p, 3.9) for p in planted(built_warehouse, "S02")] + [
        (p, 4.8) for p in planted(built_warehouse, "S02", near_miss=True)
    ]:
        [(dim_score, weeks, week_scores)] = query_db(
            db,
            """select d.quality_score, count(f.product_period_key), count(distinct f.quality_score)
               from dim_product d join fct_product_period f using (product_key)
               where d.account_id = ? and d.product_id = ?
               group by d.quality_score""",
            [p["account_id"], p["entity_id"]],
        )
        assert dim_score == pytest.approx(expected)
        assert weeks == 16 and week_scores == 1
    [(worst,)] = query_db(
        db,
        "select min(quality_score) from fct_product_period where account_id = ?",
        [planted(built_warehouse, "S02")[0]["account_id"]],
    )
    assert worst == pytest.approx(3.9)


def test_planted_s05_top_product_without_video(built_warehouse):
    db = built_warehouse["db"]
    for p in planted(built_warehouse, "S05"):
        [(has_video, best_rank)] = query_db(
            db,
            """select d.has_video, min(r.search_impressions_rank)
               from dim_product d join rpt_product_monthly r using (product_key)
               where d.account_id = ? and d.product_id = ? group by d.has_video""",
            [p["account_id"], p["entity_id"]],
        )
        assert has_video is False
        assert best_rank <= 3


def test_planted_s06_trust_gaps_in_store_snapshot(built_warehouse):
    db = built_warehouse["db"]
    for p in planted(built_warehouse, "S06"):
        rows = query_db(
            db,
            """select membership_level, enterprise_online, review_count, showcase_utilisation
               from fct_store_snapshot where account_id = ? order by snapshot_date desc""",
            [p["account_id"]],
        )
        assert len(rows) >= 4
        level, online, reviews, utilisation = rows[0]
        assert (level, online, reviews) == (1, False, 6)
        assert utilisation == pytest.approx(1.0)


def test_planted_s07_peer_gaps(built_warehouse):
    db = built_warehouse["db"]
    for p in planted(built_warehouse, "S07"):
        rows = query_db(
            db,
            """select metric_code, period_grain, avg(my_to_average_ratio), count(*),
                      string_agg(distinct position_label)
               from fct_peer_benchmark where account_id = ? and metric_code in ('inquiry_rate', 'ctr')
               group by metric_code, period_grain order by metric_code""",
            [p["account_id"]],
        )
        by_metric = {r[0]: r for r in rows}
        assert by_metric["inquiry_rate"][1] == "month" and by_metric["inquiry_rate"][3] >= 4
        assert by_metric["ctr"][2] == pytest.approx(0.9, abs=0.05)
        # the plant: 询盘率 at 60% of 同行平均 in the last two months, 110% before (C02 / S07 fire in some weeks)
        ratios = [
            r[0]
            for r in query_db(
                db,
                """select my_to_average_ratio from fct_peer_benchmark
                   where account_id = ? and metric_code = 'inquiry_rate' order by period_start""",
                [p["account_id"]],
            )
        ]
        assert ratios[-2:] == [pytest.approx(0.6, abs=0.05)] * 2
        assert all(r == pytest.approx(1.1, abs=0.05) for r in ratios[:-2])
    [(unmapped, suspect)] = query_db(
        db,
        """select count(*) filter (where metric_code is null), count(*) filter (where is_pct_value_suspect)
           from fct_peer_benchmark""",
    )
    assert (unmapped, suspect) == (0, 0)


def test_monthly_report_uv_naming_and_completeness(built_warehouse):
    db = built_warehouse["db"]
    [(weekly_rows, plain_uv, weekly_uv)] = query_db(
        db,
        """select count(*), count(visitors), count(visitors_weekly_uv_sum)
           from rpt_product_monthly where source_grain = 'week'""",
    )
    assert weekly_rows > 0 and plain_uv == 0 and weekly_uv == weekly_rows
    # the real export is one week of September: a partial month of 1 of its 3 full weeks
    [(grains, complete, covered, expected, weeks)] = query_db(
        db,
        """select string_agg(distinct source_grain), bool_or(is_month_complete), max(weeks_covered),
                  max(weeks_in_month), max(week_starts_covered)
           from rpt_product_monthly where account_id = 'real' and period_start = date '2026-09-01'""",
    )
    assert (grains, complete, covered, expected, weeks) == ("week", False, 1, 3, "2026-09-13")
    # a month whose full weeks were all exported is complete, and its event counts are the weeks' sums
    [(month_impressions, fact_impressions)] = query_db(
        db,
        """select (select sum(search_impressions) from rpt_product_monthly
                   where account_id = 'wh-01' and period_start = date '2026-08-01'),
                  (select sum(search_impressions) from fct_product_period
                   where account_id = 'wh-01' and period_start >= date '2026-08-01'
                     and period_end <= date '2026-08-31')""",
    )
    assert month_impressions == fact_impressions > 0
    [(aug_complete,)] = query_db(
        db,
        """select bool_and(is_month_complete) from rpt_product_monthly
           where account_id = 'wh-01' and period_start = date '2026-08-01'""",
    )
    assert aug_complete is True
