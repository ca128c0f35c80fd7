"""Everything the report reads from the published warehouse, in one read-only connection.

The report reads exactly :data:`WAREHOUSE_RELATIONS`: the warehouse–report contract. Those models are
``access: public`` with enforced dbt contracts and are listed in the exposure ``gscor_weekly_report``
(models/exposures.yml; a test checks the exposure's depends_on against this tuple). A warehouse that lacks
any of them fails once, up front, with one :class:`ReportError` naming them; past that check the report
reads the relations directly. An EMPTY relation is normal (an account without P4P, no done action yet)
and reads as no rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from gscor.errors import ReportError
from gscor.registry import LINEAGE_COLUMNS

# The relations the report reads (models, and the seed trade_calendar), alphabetical.
WAREHOUSE_RELATIONS = (
    "dim_date",
    "fct_ab_test_readout",
    "fct_account_exports",
    "fct_action_effects",
    "fct_attribution",
    "fct_entity_metric_weekly",
    "fct_festival_budget_advice",
    "fct_festival_seasonality",
    "fct_findings",
    "fct_funnel_weekly",
    "fct_keyword_period",
    "fct_p4p_roi_weekly",
    "fct_peer_benchmark",
    "fct_rule_coverage",
    "fct_time_to_order",
    "rpt_inquiry_conversion_weekly",
    "rpt_keyword_weekly",
    "rpt_p4p_daily",
    "rpt_product_monthly",
    "rpt_ta_orders_monthly",
    "rpt_traffic_source_weekly",
    "trade_calendar",
)

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
    """Rows of one relation for the report (``total_rows`` counts the rows before the display limit)."""

    name: str
    columns: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    total_rows: int = 0


@dataclass
class ReportData:
    account_id: str
    period_end: dt.date
    funnel: list[dict]  # weekly funnel up to E (oldest first, ≤ 26 weeks)
    festival_weeks: dict[dt.date, list[dict]]  # week_end -> [{code, type, name_zh, name_en}]
    peer: list[dict]  # fct_peer_benchmark rows of the latest period starting on/before E
    findings: list[dict]  # all findings of the account
    coverage: list[dict]  # fct_rule_coverage of the account
    keywords: list[dict]  # fct_keyword_period, week E
    traffic_mix: list[dict]  # rpt_traffic_source_weekly, last 12 weeks
    p4p_weekly: list[dict]  # fct_p4p_roi_weekly, last 26 weeks
    standing: dict[str, Table]
    advanced: dict[str, Table]
    effects: Table
    effect_series: dict[tuple[str, str, str], list[dict]]  # (entity_type, entity_id, metric) -> weeks
    next_festival: dict | None = None  # the first trade_calendar festival starting after E (why no advice)
    exports: list[dict] = field(default_factory=list)  # fct_account_exports of the account (coverage banner)


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
    except duckdb.Error as exc:
        text = str(exc).lower()
        if (
            isinstance(exc, duckdb.IOException) and "lock" in text
        ):  # a build never opens this file for writing
            raise ReportError(
                f"the warehouse {db} is open read-write by another program ({exc}); BI tools must open it "
                "read-only (README, Reading the warehouse): close that program and run the report again"
            ) from exc
        if "wal" in text:  # a write-ahead log another program left beside the file
            raise ReportError(
                f"the warehouse {db} cannot be opened: {db.name}.wal beside it was left by another program that "
                "wrote to an older warehouse file. `gscor build` moves it aside into warehouse/foreign-wal/ "
                "(kept, not deleted); or move it away yourself"
            ) from exc
        raise ReportError(damaged(db, exc)) from exc  # not a DuckDB file, a torn or corrupt one


def damaged(db: Path, exc: Exception) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (
        f"the warehouse {db} is damaged (not a readable DuckDB file: {first}); rebuild it with "
        "`gscor build --full-refresh`"
    )


def missing_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The relations of :data:`WAREHOUSE_RELATIONS` the warehouse lacks (tables, views or seeds)."""
    present = {
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables"
            " where table_schema = 'main' and table_catalog = current_database()"
        ).fetchall()
    }
    return [name for name in WAREHOUSE_RELATIONS if name not in present]


def check_contract(con: duckdb.DuckDBPyConnection, db: Path) -> None:
    """One ReportError naming every relation of the contract the warehouse lacks."""
    missing = missing_relations(con)
    if missing:
        raise ReportError(
            f"the warehouse {db} lacks {len(missing)} relation(s) the report reads: {', '.join(missing)}; "
            "run `gscor build` to rebuild it"
        )


def latest_week_end(con: duckdb.DuckDBPyConnection, account_id: str) -> dt.date | None:
    return con.execute(
        "select max(period_end) from fct_funnel_weekly where account_id = ?", [account_id]
    ).fetchone()[0]


def report_accounts(db: Path) -> list[str]:
    """Accounts with weekly data in the warehouse (``gscor run`` writes one report each)."""
    con = connect(db)
    try:
        check_contract(con, db)
        return [
            r[0]
            for r in con.execute("select distinct account_id from fct_funnel_weekly order by 1").fetchall()
        ]
    finally:
        con.close()


def read_report_data(db: Path, account_id: str, period_end: dt.date | None) -> ReportData:
    con = connect(db)
    try:
        check_contract(con, db)
        return _read(con, account_id, period_end)
    finally:
        con.close()


def _read(con: duckdb.DuckDBPyConnection, account_id: str, period_end: dt.date | None) -> ReportData:
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
    if funnel:
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

    peer = q(
        """select * from fct_peer_benchmark where account_id = $A and period_start = (
               select max(period_start) from fct_peer_benchmark where account_id = $A and period_start <= $E)
           order by metric_code"""
    )
    findings = q("select * from fct_findings where account_id = $A")
    coverage = q("select * from fct_rule_coverage where account_id = $A order by rule_id")
    exports = q("select * from fct_account_exports where account_id = $A order by report_type")
    keywords = q(
        "select keyword, impressions, clicks, ctr, is_brand from fct_keyword_period"
        " where account_id = $A and period_grain = 'week' and period_end = $E and impressions > 0"
        " order by impressions desc, keyword"
    )
    traffic_mix = q(
        """select period_end, channel_class, visitors_daily_uv_sum, share_of_week_visitors
           from rpt_traffic_source_weekly
           where account_id = $A and period_end <= $E and period_end > $E - interval 84 day
           order by period_end, channel_class"""
    )
    p4p_weekly = q(
        """select period_end, spend_cny, spend_usd, inquiries, clicks from fct_p4p_roi_weekly
           where account_id = $A and period_end <= $E order by period_end desc limit 26"""
    )[::-1]

    standing = {name: _standing(con, name, p) for name in STANDING_REPORTS}
    advanced = {name: _advanced(con, name, p) for name in ADVANCED_MARTS}

    cur = con.execute(
        "select * from fct_action_effects where account_id = $A and status = 'done'"
        " order by done_date desc nulls last, action_id",
        {"A": account_id},
    )
    effect_rows = _dicts(cur)
    effects = Table("fct_action_effects", [d[0] for d in cur.description], effect_rows, len(effect_rows))
    effect_series: dict[tuple[str, str, str], list[dict]] = {}
    for r in effects.rows:
        key = (r.get("entity_type"), r.get("entity_id"), r.get("metric"))
        start = r.get("before_start") or (r.get("done_date") or E) - dt.timedelta(weeks=8)
        end = min(r.get("after_end") or E, E)
        effect_series[key] = q(
            """select week_end, value from fct_entity_metric_weekly
               where account_id = $A and entity_type = $T and entity_id = $I and metric = $M
                 and week_end between $S and $X order by week_end""",
            {"A": account_id, "T": key[0], "I": key[1], "M": key[2], "S": start, "X": end},
        )

    upcoming = q(
        "select festival_code, name_zh, name_en, start_date from trade_calendar"
        " where festival_type = 'platform_festival' and start_date > $E order by start_date limit 1"
    )

    return ReportData(
        account_id=account_id,
        period_end=E,
        funnel=funnel,
        festival_weeks=festival_weeks,
        peer=peer,
        findings=findings,
        coverage=coverage,
        keywords=keywords,
        traffic_mix=traffic_mix,
        p4p_weekly=p4p_weekly,
        standing=standing,
        advanced=advanced,
        effects=effects,
        effect_series=effect_series,
        next_festival=upcoming[0] if upcoming else None,
        exports=exports,
    )


def _table(con, name: str, columns: str, where: str, order: str, limit: int, p: dict) -> Table:
    """``select columns from name where where order by order limit limit`` and the total row count."""
    count_sql = f"select count(*) from (select 1 from {name} where {where})"
    total = con.execute(count_sql, _used(count_sql, p)).fetchone()[0]
    sql = f"select {columns} from {name} where {where}{f' order by {order}' if order else ''} limit {limit}"
    cur = con.execute(sql, _used(sql, p))
    rows = _dicts(cur)
    return Table(name, [d[0] for d in cur.description], rows, total)


def _standing(con, name: str, p: dict) -> Table:
    where, shown, limit = _STANDING_SPEC[name]
    where, _, order = where.format(rel=name).partition(" order by ")
    return _table(con, name, ", ".join(shown), f"account_id = $A and {where}", order, limit, p)


# Per advanced mart: (the columns shown, None: every non-technical column; the filter of the account's rows
# up to E; order by; row limit).
_ADVANCED_SPEC: dict[str, tuple[tuple[str, ...] | None, str, str, int]] = {
    "fct_ab_test_readout": (
        ("test_id", "variant", "test_type", "product_name", "metric", "sample_size", "conversions",
         "conversion_rate", "lift_vs_control", "p_value", "reaches_min_sample", "decision", "winning_variant"),
        "start_date <= $E",
        "test_id, variant",
        ADVANCED_ROW_LIMIT,
    ),
    "fct_peer_benchmark": (
        ("stat_period", "metric_name", "metric_name_en", "unit", "my_value", "peer_avg", "peer_top",
         "gap_to_average_rel", "position_label"),
        "period_start = (select max(period_start) from fct_peer_benchmark"
        " where account_id = $A and period_start <= $E)",
        "metric_code",
        ADVANCED_ROW_LIMIT,
    ),
    "fct_attribution": (
        ("attribution_model", "dimension", "dimension_value", "channel_class", "credited_orders",
         "credited_amount_usd", "order_share", "amount_share", "credit_rank"),
        "true",
        "dimension = 'channel' desc, dimension, credit_rank, attribution_model",
        24,
    ),
    "fct_time_to_order": (
        ("period_grain", "period_start", "period_end", "orders", "attributed_orders", "median_days_to_order",
         "avg_days_to_order", "median_days_to_first_order", "avg_touches_per_attributed_order"),
        "period_start <= $E",
        "period_end desc, period_grain",
        ADVANCED_ROW_LIMIT,
    ),
    "fct_festival_seasonality": (None, "start_date <= $E", "", ADVANCED_ROW_LIMIT),
    "fct_festival_budget_advice": (None, "start_date <= $E", "", ADVANCED_ROW_LIMIT),
}  # fmt: skip
# Lineage and keys are not worth a column in the report (the period columns are).
_TECHNICAL = tuple(c for c in LINEAGE_COLUMNS if c not in ("period_start", "period_end"))


def _advanced(con, name: str, p: dict) -> Table:
    """An advanced mart's rows of the account up to E, as a table."""
    wanted, where, order, limit = _ADVANCED_SPEC[name]
    if wanted is None:
        names = [d[0] for d in con.execute(f"select * from {name} limit 0").description]
        wanted = tuple(c for c in names if c not in _TECHNICAL and not c.endswith(("_sk", "_key")))
    return _table(con, name, ", ".join(wanted), f"account_id = $A and {where}", order, limit, p)
