"""Platform marts on the session warehouse: dim_date, dim_account, the trade calendar, the weekly funnel."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import query_db

D = dt.date


@pytest.fixture(scope="module")
def db(built_warehouse):
    return built_warehouse["db"]


def test_dim_date_spine_weeks_and_festivals(db):
    assert query_db(
        db, "select count(*), min(date_day), max(date_day), count(distinct date_day) from dim_date"
    ) == [(1461, D(2024, 1, 1), D(2027, 12, 31), 1461)]
    # the real export's week: Sunday 2026-09-13 ~ Saturday 2026-09-19
    assert query_db(db, "select week_start, week_end from dim_date where date_day = '2026-09-16'") == [
        (D(2026, 9, 13), D(2026, 9, 19))
    ]
    # ISO fields differ from the Sunday weeks at the year boundary
    assert query_db(
        db, "select iso_year, iso_week, iso_day_of_week from dim_date where date_day = '2024-12-30'"
    ) == [(2025, 1, 1)]
    rows = dict(
        (d, (f, code, w, days))
        for d, f, code, w, days in query_db(
            db,
            """select date_day, is_festival, festival_code, is_warmup, days_to_next_festival from dim_date
               where date_day in ('2026-03-15', '2026-08-20', '2026-09-30', '2026-10-01', '2026-02-28')""",
        )
    )
    assert rows[D(2026, 3, 15)] == (True, "MARCH_EXPO_2026", False, 0)
    assert rows[D(2026, 8, 20)] == (False, None, True, 12)
    assert rows[D(2026, 9, 30)][:2] == (True, "SUPER_SEPT_2026")
    assert rows[D(2026, 10, 1)][:3] == (False, None, False)
    assert rows[D(2026, 2, 28)] == (False, None, True, 1)
    # every year 2024–2027 has both trade festivals
    assert query_db(
        db,
        "select count(distinct festival_code) from dim_date where festival_code like 'MARCH_EXPO_%' "
        "or festival_code like 'SUPER_SEPT_%'",
    ) == [(8,)]
    assert query_db(db, "select count(*) from metricflow_time_spine") == [(1461,)]


def test_dim_account_lists_every_account_with_its_reports(db):
    rows = {
        r[0]: r[1:]
        for r in query_db(
            db,
            """select account_id, report_type_count, report_types, has_traffic_data, has_order_data,
                      membership_type, showcase_total
               from dim_account order by account_id""",
        )
    }
    assert set(rows) == {"real", "wh-01", "wh-02"}
    assert rows["real"] == (2, "keyword_performance, product_performance", True, False, None, None)
    for acct in ("wh-01", "wh-02"):
        count, types, traffic, orders, membership, showcases = rows[acct]
        assert count == 18 and traffic and orders
        assert "shop_daily" in types and "store_profile" in types
        assert membership and showcases and showcases > 0


def test_funnel_real_export_week_reconciles_to_the_unit(db):
    """The real product export: 54,082 search impressions, 630 clicks, 18 inquiries; no visitors (no weekly
    store UV export and no shop days: per-product 访客数 are never summed)."""
    assert query_db(
        db,
        """select period_grain, period_start, period_end, exposure_source, impressions, clicks, inquiries,
                  visitors, visitors_is_daily_sum, inquiry_rate, is_festival_week
           from fct_funnel_weekly where account_id = 'real'""",
    ) == [("week", D(2026, 9, 13), D(2026, 9, 19), "product_weekly", 54082, 630, 18, None, None, None, True)]


def test_funnel_generated_weeks(db, built_warehouse):
    rows = query_db(
        db,
        """select period_start, impressions, clicks, visitors, visitors_is_daily_sum, inquiries, ta_orders,
                  ctr, ctr_baseline_8w, ctr_baseline_weeks, is_festival_week, dayofweek(period_start)
           from fct_funnel_weekly where account_id = 'wh-01' order by period_start""",
    )
    assert len(rows) == 16
    assert all(r[-1] == 0 for r in rows)  # every week starts on a Sunday
    assert all(r[4] is True for r in rows)  # generated data has no weekly UV export: daily sums, flagged
    assert all(r[3] > 0 and r[1] > r[2] > 0 for r in rows)
    # baselines: NULL for the first 4 weeks (fewer than 4 prior weeks), then the mean of up to 8 prior weeks
    assert [r[8] is None for r in rows[:4]] == [True] * 4
    for i in range(4, 16):
        prior = [r[7] for r in rows[max(0, i - 8) : i]]
        assert rows[i][9] == len(prior)
        assert rows[i][8] == pytest.approx(sum(prior) / len(prior))
    # shop-daily reconciliation: the funnel week equals the sum of its days
    shop = dict(
        query_db(
            db,
            """select period_start - cast(dayofweek(period_start) as integer), sum(total_impressions)
               from fct_shop_daily where account_id = 'wh-01' group by 1""",
        )
    )
    assert {r[0]: r[1] for r in rows} == shop
    # X04: the festival lift (≈35%) is visible in the weekly exposure
    fest = [r[1] for r in rows[:-1] if r[10]]  # the latest week carries the G01 drop
    other = [r[1] for r in rows[:-1] if not r[10]]
    assert fest and other and sum(fest) / len(fest) > 1.15 * sum(other) / len(other)
    # G01 (planted): the latest week's traffic falls more than 20% week on week
    if any(
        p["rule_id"] == "G01" and p["account_id"] == "wh-01" and not p["near_miss"]
        for p in built_warehouse["planted"]
    ):
        assert rows[-1][1] < 0.8 * rows[-2][1]


def test_funnel_rates_use_weekly_distinct_buyers(db):
    """inquiry buyers are distinct customers of the week from the inquiry list, never more than inquiries."""
    bad = query_db(
        db,
        """select account_id, period_start from fct_funnel_weekly
           where account_id like 'wh-%' and (inquiry_buyers > inquiries or inquiry_buyers > opportunity_buyers
                 or tm_buyers > opportunity_buyers or inquiry_rate <> inquiry_buyers / visitors)""",
    )
    assert bad == []
    assert query_db(
        db, "select count(*) from fct_funnel_weekly where account_id like 'wh-%' and opportunity_rate is null"
    ) == [(0,)]


def test_funnel_shows_the_planted_c02_leak(db, built_warehouse):
    """C02 (planted): the latest week's visit→inquiry rate is about half its 8-week baseline."""
    accounts = {
        p["account_id"]
        for p in built_warehouse["planted"]
        if p["rule_id"] == "C02" and not p["near_miss"] and p["account_id"].startswith("wh-")
    }
    assert accounts
    for acct in accounts:
        (dev,) = query_db(
            db,
            """select inquiry_rate_deviation from fct_funnel_weekly where account_id = ?
               order by period_start desc limit 1""",
            [acct],
        )[0]
        assert dev < -0.3, (acct, dev)
