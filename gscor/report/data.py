"""Everything the report reads from the published warehouse, in one read-only connection.

Relations that do not exist (yet) read as ``None``: the report says "not available" instead of failing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb


class ReportError(RuntimeError):
    """A report cannot be built (no warehouse, unknown account, bad period end…)."""


# The standing reports and the advanced (X) marts, in report order.
STANDING_REPORTS = (
    "rpt_keyword_weekly",
    "rpt_traffic_source_weekly",
    "rpt_product_monthly",
    "rpt_inquiry_conversion_weekly",
    "rpt_ta_orders_monthly",
    "rpt_p4p_daily",
)
ADVANCED_MARTS = (
    "fct_ab_test_readout",
    "fct_peer_benchmark",
    "fct_attribution",
    "fct_time_to_order",
    "fct_festival_seasonality",
    "fct_festival_budget_advice",
)
ADVANCED_ROW_LIMIT = 15

# Per standing report: (the SQL filter/order for "this period", the columns shown, row limit).
# {E} is the period end (a Saturday).
_STANDING_SPEC: dict[str, tuple[str, tuple[str, ...], int]] = {
    "rpt_keyword_weekly": (
        "period_end = $E order by impressions desc nulls last, keyword",
        ("keyword", "impressions", "clicks", "ctr", "impressions_wow_change", "top10_avg_ctr", "is_brand"),
        10,
    ),
    "rpt_traffic_source_weekly": (
        "period_end = $E order by visitors_daily_uv_sum desc nulls last, channel_class",
        (
            "channel_class",
            "visitors_daily_uv_sum",
            "share_of_week_visitors",
            "inquiry_buyers_daily_uv_sum",
            "opportunity_rate_of_daily_sums",
            "visitors_daily_uv_sum_wow_change",
        ),
        10,
    ),
    "rpt_product_monthly": (
        "period_start = (select max(period_start) from {rel} where account_id = $A and period_start <= $E)"
        " order by search_impressions desc nulls last, product_id",
        (
            "period_start",
            "product_id",
            "product_name",
            "owner",
            "search_impressions",
            "search_clicks",
            "search_ctr",
            "inquiries",
            "is_month_complete",
        ),
        10,
    ),
    "rpt_inquiry_conversion_weekly": (
        "period_end <= $E order by period_end desc",
        (
            "period_end",
            "inquiries",
            "tm_conversations",
            "reply_hours_avg",
            "replied_within_24h_share",
            "sample_share",
            "target_market_share",
            "conversion_rate_30d",
        ),
        4,
    ),
    "rpt_ta_orders_monthly": (
        "period_start <= $E order by period_start desc",
        (
            "period_start",
            "ta_orders",
            "amount_usd",
            "aov_usd",
            "buyers",
            "new_buyer_amount_share",
            "late_shipment_share",
            "amount_usd_mom_change",
        ),
        3,
    ),
    "rpt_p4p_daily": (
        "stat_date between $E - interval 6 day and $E order by stat_date desc, spend_cny desc nulls last, campaign",
        (
            "stat_date",
            "campaign",
            "impressions",
            "clicks",
            "spend_cny",
            "cpc_cny",
            "inquiries",
            "cost_per_inquiry_cny",
        ),
        14,
    ),
}


@dataclass
class Table:
    """Rows of one relation for the report (``available`` False when the relation does not exist)."""

    name: str
    available: bool
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    total_rows: int = 0


@dataclass
class ReportData:
    account_id: str
    period_end: dt.date
    relations: set[str]
    funnel: list[dict]  # weekly funnel up to E (oldest first, ≤ 26 weeks)
    festival_weeks: dict[dt.date, list[dict]]  # week_end -> [{code, type, name_zh, name_en}]
    peer: list[dict]  # fct_peer_benchmark rows of the latest period starting on/before E
    findings: list[dict] | None  # all findings of the account (None: fct_findings missing)
    coverage: list[dict] | None
    catalogue: list[dict]
    keywords: list[dict]  # fct_keyword_period, week E
    traffic_mix: list[dict]  # rpt_traffic_source_weekly, last 12 weeks
    p4p_weekly: list[dict]  # fct_p4p_roi_weekly, last 26 weeks
    standing: dict[str, Table]
    advanced: dict[str, Table]
    effects: Table
    effect_series: dict[tuple[str, str, str], list[dict]]  # (entity_type, entity_id, metric) -> weeks


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    cols = [d[0] for d in cur.description]
    return [{c: _plain(v) for c, v in zip(cols, row, strict=True)} for row in cur.fetchall()]


def _used(sql: str, params: dict) -> dict:
    """DuckDB refuses named parameters a statement does not use."""
    names = set(re.findall(r"\$(\w+)", sql))
    return {k: v for k, v in params.items() if k in names}


def connect(db: Path) -> duckdb.DuckDBPyConnection:
    if not db.exists():
        raise ReportError(f"no published warehouse at {db}: run `gscor build` first")
    try:
        return duckdb.connect(str(db), read_only=True)
    except duckdb.IOException as exc:  # the nightly build holds the write lock
        raise ReportError(f"the warehouse {db} is busy (locked by a build?): {exc}") from exc


def _columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    rows = con.execute(
        "select table_name, column_name from information_schema.columns"
        " where table_schema = 'main' and table_catalog = current_database()"
        " order by table_name, ordinal_position"
    ).fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        out.setdefault(table, []).append(column)
    return out


def latest_week_end(con: duckdb.DuckDBPyConnection, account_id: str) -> dt.date | None:
    return con.execute(
        "select max(period_end) from fct_funnel_weekly where account_id = ?", [account_id]
    ).fetchone()[0]


def read_report_data(db: Path, account_id: str, period_end: dt.date | None) -> ReportData:
    con = connect(db)
    try:
        return _read(con, account_id, period_end)
    finally:
        con.close()


def _read(con: duckdb.DuckDBPyConnection, account_id: str, period_end: dt.date | None) -> ReportData:
    cols = _columns(con)
    if "fct_funnel_weekly" not in cols:
        raise ReportError("the warehouse has no fct_funnel_weekly: rebuild it with `gscor build`")
    latest = latest_week_end(con, account_id)
    if latest is None:
        known = [
            r[0]
            for r in con.execute("select distinct account_id from fct_funnel_weekly order by 1").fetchall()
        ]
        raise ReportError(
            f"no weekly data for account {account_id!r} (accounts: {', '.join(known) or 'none'})"
        )
    E = period_end or latest
    if E.weekday() != 5:
        raise ReportError(f"period end {E} is not a Saturday (weeks run Sunday–Saturday); e.g. {latest}")
    p = {"A": account_id, "E": E}

    def q(sql: str, params: dict | None = None) -> list[dict]:
        return _dicts(con.execute(sql, _used(sql, p if params is None else params)))

    funnel = q(
        "select * from fct_funnel_weekly where account_id = $A and period_end <= $E"
        " order by period_end desc limit 26"
    )[::-1]

    festival_weeks: dict[dt.date, list[dict]] = {}
    if funnel and {"dim_date", "trade_calendar"} <= cols.keys():
        rows = q(
            """
            with days as (
                select week_end, festival_code as code from dim_date
                where is_festival and date_day between $S and $E
                union
                select week_end, other_event_code from dim_date
                where is_trade_fair and date_day between $S and $E
            )
            select d.week_end, d.code, c.festival_type, c.name_zh, c.name_en
            from days as d left join trade_calendar as c on c.festival_code = d.code
            where d.code is not null
            order by d.week_end, d.code
            """,
            {"S": funnel[0]["period_start"], "E": E},
        )
        for r in rows:
            festival_weeks.setdefault(r["week_end"], []).append(r)

    peer: list[dict] = []
    if "fct_peer_benchmark" in cols:
        peer = q(
            """select * from fct_peer_benchmark where account_id = $A and period_start = (
                   select max(period_start) from fct_peer_benchmark where account_id = $A and period_start <= $E)
               order by metric_code"""
        )

    findings = q("select * from fct_findings where account_id = $A") if "fct_findings" in cols else None
    coverage = (
        q("select * from fct_rule_coverage where account_id = $A order by rule_id")
        if "fct_rule_coverage" in cols
        else None
    )
    catalogue = q("select * from rule_catalogue order by rule_id", {}) if "rule_catalogue" in cols else []

    keywords: list[dict] = []
    if "fct_keyword_period" in cols:
        keywords = q(
            "select keyword, impressions, clicks, ctr, is_brand from fct_keyword_period"
            " where account_id = $A and period_grain = 'week' and period_end = $E and impressions > 0"
            " order by impressions desc, keyword"
        )
    traffic_mix: list[dict] = []
    if "rpt_traffic_source_weekly" in cols:
        traffic_mix = q(
            """select period_end, channel_class, visitors_daily_uv_sum, share_of_week_visitors
               from rpt_traffic_source_weekly
               where account_id = $A and period_end <= $E and period_end > $E - interval 84 day
               order by period_end, channel_class"""
        )
    p4p_weekly: list[dict] = []
    if "fct_p4p_roi_weekly" in cols:
        p4p_weekly = q(
            """select period_end, spend_cny, spend_usd, inquiries, clicks from fct_p4p_roi_weekly
               where account_id = $A and period_end <= $E order by period_end desc limit 26"""
        )[::-1]

    standing = {name: _standing(con, cols, name, p) for name in STANDING_REPORTS}
    advanced = {name: _generic(con, cols, name, p) for name in ADVANCED_MARTS}

    effects = Table("fct_action_effects", "fct_action_effects" in cols)
    effect_series: dict[tuple[str, str, str], list[dict]] = {}
    if effects.available:
        effects.rows = q(
            "select * from fct_action_effects where account_id = $A and status = 'done'"
            " order by done_date desc nulls last, action_id"
        )
        effects.columns = cols["fct_action_effects"]
        effects.total_rows = len(effects.rows)
        if effects.rows and "int_entity_metric_weekly" in cols:
            for r in effects.rows:
                key = (r.get("entity_type"), r.get("entity_id"), r.get("metric"))
                start = r.get("before_start") or (r.get("done_date") or E) - dt.timedelta(weeks=8)
                end = min(r.get("after_end") or E, E)
                effect_series[key] = q(
                    """select week_end, value from int_entity_metric_weekly
                       where account_id = $A and entity_type = $T and entity_id = $I and metric = $M
                         and week_end between $S and $X order by week_end""",
                    {"A": account_id, "T": key[0], "I": key[1], "M": key[2], "S": start, "X": end},
                )

    return ReportData(
        account_id=account_id,
        period_end=E,
        relations=set(cols),
        funnel=funnel,
        festival_weeks=festival_weeks,
        peer=peer,
        findings=findings,
        coverage=coverage,
        catalogue=catalogue,
        keywords=keywords,
        traffic_mix=traffic_mix,
        p4p_weekly=p4p_weekly,
        standing=standing,
        advanced=advanced,
        effects=effects,
        effect_series=effect_series,
    )


def _standing(con, cols: dict[str, list[str]], name: str, p: dict) -> Table:
    if name not in cols:
        return Table(name, False)
    where, wanted, limit = _STANDING_SPEC[name]
    shown = [c for c in wanted if c in cols[name]]
    where = where.format(rel=name)
    count_sql = f"select count(*) from (select 1 from {name} where account_id = $A and {where})"
    total = con.execute(count_sql, _used(count_sql, p)).fetchone()[0]
    sql = f"select {', '.join(shown)} from {name} where account_id = $A and {where} limit {limit}"
    rows = _dicts(con.execute(sql, _used(sql, p)))
    return Table(name, True, shown, rows, total)


# Advanced marts with many technical columns: (columns worth a table, order by, row limit). The columns that
# exist are shown (all non-technical columns when none of them does); marts not listed: every non-technical
# column, latest period first.
_ADVANCED_SPEC: dict[str, tuple[tuple[str, ...], str, int]] = {
    "fct_ab_test_readout": (
        ("test_id", "variant", "test_type", "product_name", "metric", "sample_size", "conversions",
         "conversion_rate", "lift_vs_control", "p_value", "reaches_min_sample", "decision", "winning_variant"),
        "test_id, variant",
        ADVANCED_ROW_LIMIT,
    ),
    "fct_peer_benchmark": (
        ("stat_period", "metric_name", "metric_name_en", "unit", "my_value", "peer_avg", "peer_top",
         "gap_to_average_rel", "position_label"),
        "metric_code",
        ADVANCED_ROW_LIMIT,
    ),
    "fct_attribution": (
        ("attribution_model", "dimension", "dimension_value", "channel_class", "credited_orders",
         "credited_amount_usd", "order_share", "amount_share", "credit_rank"),
        "dimension = 'channel' desc, dimension, credit_rank, attribution_model",
        24,
    ),
    "fct_time_to_order": (
        ("period_grain", "period_start", "period_end", "orders", "attributed_orders", "median_days_to_order",
         "avg_days_to_order", "median_days_to_first_order", "avg_touches_per_attributed_order"),
        "period_end desc, period_grain",
        ADVANCED_ROW_LIMIT,
    ),
}  # fmt: skip
_SKIP_GENERIC = ("loaded_at", "source_file", "source_sha256", "source_row", "account_id", "period_grain")


def _generic(con, cols: dict[str, list[str]], name: str, p: dict) -> Table:
    """Any mart of the account as a table: rows of the latest period on/before E first, when it has periods."""
    if name not in cols:
        return Table(name, False)
    have = cols[name]
    shown = [c for c in have if c not in _SKIP_GENERIC and not c.endswith("_sk") and not c.endswith("_key")]
    wanted, order_by, limit = _ADVANCED_SPEC.get(name, ((), "", ADVANCED_ROW_LIMIT))
    shown = [c for c in wanted if c in have] or shown
    conds = []
    if "account_id" in have:
        conds.append("account_id = $A")
    if "period_start" in have:
        conds.append("period_start <= $E")
    elif "period_end" in have:
        conds.append("period_end <= $E")
    elif "start_date" in have:
        conds.append("start_date <= $E")
    where = " and ".join(conds) or "true"
    if name == "fct_peer_benchmark" and "period_start" in have:
        where += f" and period_start = (select max(period_start) from {name} where {where})"
    if not order_by and "period_end" in have:
        order_by = "period_end desc"
    order = f" order by {order_by}" if order_by else ""
    params = _used(where, p)
    total = con.execute(f"select count(*) from {name} where {where}", params).fetchone()[0]
    sql = f"select {', '.join(shown)} from {name} where {where}{{order}} limit {limit}"
    try:
        rows = _dicts(con.execute(sql.format(order=order), params))
    except duckdb.BinderException:  # the mart changed: an ordering column is gone
        rows = _dicts(con.execute(sql.format(order=""), params))
    return Table(name, True, shown, rows, total)
