"""The weekly report (gscor.report): findings.json schema, action plan ranking / cap / CSV safety, the
self-contained HTML (headless Chromium: renders, charts present, no request leaves the file), languages.

Fast: every test but the last builds a tiny DuckDB warehouse in tmp_path holding exactly the relations the
report reads (gscor.report.data.WAREHOUSE_RELATIONS), with the columns it reads; several of them are empty,
as they are for an account without P4P or orders. ``test_report_on_built_warehouse`` uses the session
warehouse (``built_warehouse``: a real `gscor build`); it is marked slow because it needs that build.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import jsonschema
import pytest

from gscor.paths import Home
from gscor.report import ReportError, build_report, writers
from gscor.report.data import WAREHOUSE_RELATIONS
from gscor.report.plan import latest_month_end

E = dt.date(2026, 9, 19)  # a Saturday
ACCOUNT = "acme"
NOW = dt.datetime(2026, 9, 21, 6, 0, tzinfo=dt.UTC)
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
EXTERNAL_IMG = '<img src="http://example.invalid/x.png">'

CATALOGUE = [
    # rule_id, stage, cadence, required, title_zh, title_en, owner_role_zh, owner_role_en
    (
        "G05",
        "G",
        "weekly",
        "keyword_performance",
        "关键词高曝光低点击",
        "Keyword with high exposure and low CTR",
        "美工/运营",
        "Designer / operations",
    ),
    (
        "G07",
        "G",
        "weekly",
        "product_performance",
        "产品高曝光低点击",
        "Product with high exposure and low CTR",
        "美工/运营",
        "Designer / operations",
    ),
    (
        "G09",
        "G",
        "weekly",
        "product_performance|product_catalog",
        "零曝光产品",
        "Products with zero exposure",
        "运营",
        "Operations",
    ),
    (
        "S02",
        "S",
        "weekly",
        "product_catalog",
        "信息质量分低",
        "Low information quality",
        "运营",
        "Operations",
    ),
    ("C01", "C", "weekly", "shop_daily", "回复慢", "Slow replies", "业务员", "Sales"),
    ("O01", "O", "monthly", "orders", "信保订单下滑", "Trade Assurance volume down", "业务员", "Sales"),
    ("O02", "O", "monthly", "orders", "客单价偏低", "Low average order value", "业务员", "Sales"),
    (
        "R02",
        "R",
        "weekly",
        "customers|orders",
        "重要客户沉睡",
        "Customers going quiet",
        "跟进人",
        "Account manager",
    ),
    ("R03", "R", "monthly", "customers", "流失原因集中", "Churn reason pattern", "业务员", "Sales"),
]
CAT = {r[0]: r for r in CATALOGUE}

FINDING_COLUMNS = (
    "finding_id varchar, account_id varchar, rule_id varchar, stage varchar, severity varchar, entity_type varchar, "
    "entity_id varchar, entity_label varchar, period_grain varchar, period_start date, period_end date, metric varchar, "
    "value double, threshold double, benchmark double, impact_estimate double, impact_unit varchar, action_code varchar, "
    "action_text_zh varchar, action_text_en varchar, owner varchar, evidence_detail varchar, impact_usd double, "
    "cadence varchar, title_zh varchar, title_en varchar, owner_role_zh varchar, owner_role_en varchar"
)


def finding(
    fid: str,
    rule: str,
    severity: str,
    entity_id: str,
    impact_usd: float | None,
    *,
    end: dt.date = E,
    label: str | None = None,
    owner: str | None = None,
    zh: str | None = None,
    en: str | None = None,
    account: str = ACCOUNT,
    entity_type: str = "product",
    metric: str = "search_ctr",
) -> tuple:
    _, stage, cadence, _, title_zh, title_en, role_zh, role_en = CAT[rule]
    monthly = cadence == "monthly"
    start = end.replace(day=1) if monthly else end - dt.timedelta(days=6)
    return (
        fid, account, rule, stage, severity, entity_type, entity_id, label or f"Product {entity_id}",
        "month" if monthly else "week", start, end, metric, 0.001, 0.0085, 0.017, 12.0, "clicks",
        "OPTIMIZE_MAIN_IMAGE_TITLE", zh or f"重做产品「{entity_id}」的主图和标题：点击率 0.1%",
        en or f'Rework the main image and title of "{entity_id}": CTR 0.1%', owner, None, impact_usd, cadence,
        title_zh, title_en, role_zh, role_en,
    )  # fmt: skip


def default_findings() -> list[tuple]:
    rows = [
        finding("f-o01", "O01", "high", "store", 200.0, end=dt.date(2026, 8, 31), entity_type="store", metric="ta_amount_usd"),
        finding("f-o02-old", "O02", "high", "store", 999.0, end=dt.date(2026, 7, 31), entity_type="store"),  # not current
        finding("f-g07-old", "G07", "high", "P-OLD", 999.0, end=E - dt.timedelta(days=7)),  # last week: not current
        finding("f-g07", "G07", "medium", "P1", 50.0, label=EXTERNAL_IMG),  # tie on impact: medium after high
        finding("f-g05", "G05", "high", "k1", 50.0, entity_type="keyword", metric="ctr"),
        finding("f-c01", "C01", "high", "store", 50.0, entity_type="store", metric="avg_reply_hours"),  # C01 < G05
        finding("f-s02", "S02", "low", "P2", None, owner="Amy Chen"),  # impact unknown: last
        finding(
            "f-r02", "R02", "medium", "CUS-1", 10.0, entity_type="customer", label="=cmd|' /C calc'!A0",
            owner="+1", zh="-2 联系客户", en="@x contact the customer", metric="days_since_contact",
        ),
        finding("f-other", "G07", "high", "P9", 5000.0, account="other"),  # another account
    ]  # fmt: skip
    rows += [finding(f"f-g09-{i:02d}", "G09", "low", f"Z{i:02d}", float(i)) for i in range(1, 13)]
    return rows


def make_warehouse(root: Path, *, findings: list[tuple] | None = None, without: tuple[str, ...] = ()) -> Home:
    """A tiny published warehouse with the relations the report reads (but those in ``without``)."""
    home = Home(root)
    home.warehouse.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home.warehouse / "gscor.duckdb"))
    weeks = [E - dt.timedelta(weeks=n) for n in range(9, -1, -1)]
    con.execute(
        """create table fct_funnel_weekly (account_id varchar, period_grain varchar, period_start date,
        period_end date, is_festival_week boolean, festival_code varchar, impressions bigint, clicks bigint,
        visitors bigint, inquiries bigint, opportunity_buyers bigint, ta_orders bigint, ctr double,
        ctr_baseline_8w double, inquiry_rate double, inquiry_rate_baseline_8w double, opportunity_rate double,
        opportunity_rate_baseline_8w double, order_rate double, order_rate_baseline_8w double)"""
    )
    for i, w in enumerate(weeks):
        imp, clk, vis, inq = 40000 + 1000 * i, 700 + 10 * i, 400 + 5 * i, 20 + i
        con.execute(
            "insert into fct_funnel_weekly values (?, 'week', ?, ?, false, null, ?, ?, ?, ?, ?, ?, ?, 0.017, ?, 0.05,"
            " 0.06, 0.07, 0.5, 0.4)",
            [ACCOUNT, w - dt.timedelta(days=6), w, imp, clk, vis, inq, 25, 10, clk / imp, inq / vis],
        )
    con.execute(
        """create table dim_date as
        select d::date as date_day, (d + ((6 - dayofweek(d)) * interval 1 day))::date as week_end,
            d >= date '2026-09-01' as is_festival,
            case when d >= date '2026-09-01' then 'SUPER_SEPT_2026' end as festival_code,
            d between date '2026-08-10' and date '2026-08-12' as is_trade_fair,
            case when d between date '2026-08-10' and date '2026-08-12' then 'FAIR_X' end as other_event_code
        from range(date '2026-07-01', date '2026-10-01', interval 1 day) as t(d)"""
    )
    con.execute(
        """create table trade_calendar as select * from (values
            ('SUPER_SEPT_2026', 'platform_festival', '九月采购节', 'Super September', date '2026-09-01'),
            ('MARCH_EXPO_2027', 'platform_festival', '三月新贸节', 'March Expo', date '2027-03-01'),
            ('FAIR_X', 'trade_fair', '展会', 'Fair X', date '2026-08-10'))
            as t(festival_code, festival_type, name_zh, name_en, start_date)"""
    )
    con.execute(
        """create table fct_peer_benchmark as select * from (values
            ('acme', 'month', date '2026-09-01', date '2026-09-30', '2026-09', '点击率', 'ctr', 'Click-through rate',
             'pct', true, 0.0149, 0.0166, 0.0208, -0.1, 'below_average'),
            ('acme', 'month', date '2026-09-01', date '2026-09-30', '2026-09', '平均回复时长', 'avg_reply_hours',
             'Average reply time (hours)', 'hours', false, 8.0, 6.0, 2.0, 0.33, 'below_average'))
        as t(account_id, period_grain, period_start, period_end, stat_period, metric_name, metric_code,
             metric_name_en, unit, higher_is_better, my_value, peer_avg, peer_top, gap_to_average_rel, position_label)"""
    )
    con.execute(
        "create table rule_catalogue (rule_id varchar, stage varchar, cadence varchar, required_report_types varchar,"
        " title_zh varchar, title_en varchar, owner_role_zh varchar, owner_role_en varchar)"
    )
    con.executemany("insert into rule_catalogue values (?, ?, ?, ?, ?, ?, ?, ?)", CATALOGUE)
    con.execute(f"create table fct_findings ({FINDING_COLUMNS})")
    con.executemany(
        f"insert into fct_findings values ({', '.join(['?'] * 28)})", findings or default_findings()
    )
    con.execute(
        """create table fct_rule_coverage as
        select 'acme' as account_id, rule_id, stage, cadence, title_zh, title_en, required_report_types,
            case when rule_id = 'R03' then 'customers' else '' end as missing_report_types,
            rule_id <> 'R03' as can_run, 0::bigint as findings
        from rule_catalogue"""
    )
    con.execute("drop table rule_catalogue")  # the report does not read it: fct_findings carries its fields
    con.execute(
        """create table fct_keyword_period as select 'acme' as account_id, 'week' as period_grain,
            date '2026-09-19' as period_end, 'kw ' || i as keyword, (50 * i)::bigint as impressions,
            (i % 7)::bigint as clicks, (i % 7) / (50.0 * i) as ctr, i = 3 as is_brand
        from range(1, 40) as t(i)"""
    )
    con.execute(
        """create table rpt_traffic_source_weekly as select 'acme' as account_id, w.period_end, c.channel_class,
            c.v::hugeint as visitors_daily_uv_sum, 0.2 as share_of_week_visitors,
            (c.v // 20)::hugeint as inquiry_buyers_daily_uv_sum, 0.06 as opportunity_rate_of_daily_sums,
            0.05 as visitors_daily_uv_sum_wow_change
        from (select unnest(?) as period_end) as w
        cross join (values ('natural_search', 200), ('p4p', 150), ('events_channels', 50), ('direct', 30))
            as c(channel_class, v)""",
        [weeks],
    )
    con.execute(
        """create table fct_p4p_roi_weekly as select 'acme' as account_id, period_end,
            (1000 + 100 * row_number() over ())::decimal(38, 4) as spend_cny, 150.0::decimal(38, 4) as spend_usd,
            (10 + row_number() over ())::hugeint as inquiries, 300::hugeint as clicks
        from (select unnest(?) as period_end)""",
        [weeks],
    )
    con.execute(
        """create table rpt_keyword_weekly as select account_id, period_end, keyword, impressions::hugeint as impressions,
            clicks::hugeint as clicks, ctr, -0.1 as impressions_wow_change, 0.02 as top10_avg_ctr, is_brand
        from fct_keyword_period"""
    )
    ledger = (
        "action_id varchar, account_id varchar, created_on date, report_period_end date, finding_id varchar, "
        "rule_id varchar, entity_type varchar, entity_id varchar, entity_label varchar, metric varchar, "
        "value_at_creation double, action_code varchar, action_text_zh varchar, action_text_en varchar, owner varchar, "
        "due_date date, status varchar, done_date date, note varchar"
    )
    con.execute(
        f"""create table fct_action_effects ({ledger}, window_weeks integer, before_start date, before_end date,
        after_start date, after_end date, before_value double, after_value double, change_abs double,
        change_pct double, noise_sd double, z_score double, higher_is_better boolean, verdict varchar)"""
    )
    con.execute(
        """insert into fct_action_effects values ('act_00000000aa', 'acme', date '2026-08-03', date '2026-08-01',
        'f-x', 'G07', 'product', 'P5', 'Product P5', 'search_ctr', 0.004, 'OPTIMIZE_MAIN_IMAGE_TITLE', '重做主图',
        'Rework the main image', 'Amy Chen', date '2026-08-08', 'done', date '2026-08-08', null, 3,
        date '2026-07-19', date '2026-08-08', date '2026-08-09', date '2026-08-29', 0.004, 0.012, 0.008, 2.0,
        0.0015, 5.3, true, 'improved')"""
    )
    con.execute(
        """create table fct_entity_metric_weekly as select 'acme' as account_id, 'product' as entity_type,
            'P5' as entity_id, 'search_ctr' as metric, (w - interval 6 day)::date as week_start, w::date as week_end,
            case when w < date '2026-08-09' then 0.004 else 0.012 end as value
        from range(date '2026-07-18', date '2026-09-20', interval 7 day) as t(w)"""
    )
    for ddl in EMPTY_RELATIONS:  # no rows: an account without these exports
        con.execute(f"create table {ddl}")
    for name in without:
        con.execute(f"drop table {name}")
    con.close()
    return home


# The contract's relations the tiny warehouse holds with no rows (the columns the report reads).
EMPTY_RELATIONS = (
    "fct_account_exports (account_id varchar, report_type varchar, report_family varchar, is_snapshot boolean,"
    " is_loaded boolean, first_period_start date, last_period_end date, files_loaded bigint,"
    " last_loaded_at timestamp, snapshot_dates varchar, rules_needing bigint)",
    "rpt_product_monthly (account_id varchar, period_start date, product_id varchar, product_name varchar,"
    " owner varchar, search_impressions bigint, search_clicks bigint, search_ctr double, inquiries bigint,"
    " is_month_complete boolean)",
    "rpt_inquiry_conversion_weekly (account_id varchar, period_end date, inquiries bigint, tm_conversations bigint,"
    " reply_hours_avg double, replied_within_24h_share double, sample_share double, target_market_share double,"
    " conversion_rate_30d double)",
    "rpt_ta_orders_monthly (account_id varchar, period_start date, ta_orders bigint, amount_usd double,"
    " aov_usd double, buyers bigint, new_buyer_amount_share double, late_shipment_share double,"
    " amount_usd_mom_change double)",
    "rpt_p4p_daily (account_id varchar, stat_date date, campaign varchar, impressions bigint, clicks bigint,"
    " spend_cny double, cpc_cny double, inquiries bigint, cost_per_inquiry_cny double)",
    "fct_ab_test_readout (ab_test_variant_key varchar, account_id varchar, test_id varchar, variant varchar,"
    " test_type varchar, product_name varchar, start_date date, metric varchar, sample_size bigint,"
    " conversions bigint, conversion_rate double, lift_vs_control double, p_value double,"
    " reaches_min_sample boolean, decision varchar, winning_variant varchar)",
    "fct_attribution (attribution_key varchar, account_id varchar, attribution_model varchar, dimension varchar,"
    " dimension_value varchar, channel_class varchar, credited_orders double, credited_amount_usd double,"
    " order_share double, amount_share double, credit_rank bigint)",
    "fct_time_to_order (time_to_order_key varchar, account_id varchar, period_grain varchar, period_start date,"
    " period_end date, orders bigint, attributed_orders bigint, median_days_to_order double,"
    " avg_days_to_order double, median_days_to_first_order double, avg_touches_per_attributed_order double)",
    "fct_festival_seasonality (festival_season_key varchar, account_id varchar, festival_code varchar,"
    " name_zh varchar, name_en varchar, start_date date, end_date date, impressions_lift double)",
    "fct_festival_budget_advice (festival_advice_key varchar, account_id varchar, festival_code varchar,"
    " name_zh varchar, name_en varchar, start_date date, recommended_weekly_p4p_spend_cny double,"
    " advice_zh varchar, advice_en varchar)",
)


class FakeActions:
    """Stand-in of gscor.actions (append_actions / read_ledger, the contract's API) kept in memory."""

    def __init__(self, ledger: list[dict] | None = None):
        self.ledger = list(ledger or [])
        self.calls: list[dict] = []

    def read_ledger(self, home, account_id):
        return [r for r in self.ledger if r["account_id"] == account_id]

    def append_actions(self, home, account_id, items, created_on, report_period_end):
        self.calls.append({"items": items, "created_on": created_on, "report_period_end": report_period_end})
        out = []
        for it in items:
            key = (it["rule_id"], it["entity_type"], it["entity_id"], it["action_code"])
            row = next(
                (r for r in self.read_ledger(home, account_id)
                 if r["status"] == "open" and (r["rule_id"], r["entity_type"], r["entity_id"], r["action_code"]) == key),
                None,
            )  # fmt: skip
            if row is None:
                row = {**it, "action_id": f"act_{len(self.ledger):010x}", "account_id": account_id,
                       "created_on": created_on.isoformat(), "report_period_end": report_period_end.isoformat(),
                       "due_date": it["due_date"].isoformat(), "status": "open", "done_date": "", "note": ""}  # fmt: skip
                self.ledger.append(row)
            out.append(row)
        return out


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> Home:
    """One tiny warehouse for the module: the report only reads it (reports go to each test's tmp_path)."""
    return make_warehouse(tmp_path_factory.mktemp("report") / "home")


def report(home: Home, tmp_path: Path, **kw):
    kw.setdefault("actions", FakeActions())
    kw.setdefault("now", NOW)
    return build_report(home, ACCOUNT, out_dir=tmp_path / "out", **kw)


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


# ----------------------------------------------------------------------------------- plan & JSON


def test_files_and_default_period(wh, tmp_path):
    r = report(wh, tmp_path)
    assert r.period_end == E  # latest week_end in fct_funnel_weekly
    assert r.out_dir == tmp_path / "out" / ACCOUNT / E.isoformat()
    assert sorted(p.name for p in r.out_dir.iterdir()) == [
        "action_plan.csv",
        "findings.json",
        "report.html",
        "report.md",
    ]
    assert (r.findings, r.actions, r.rules_not_run) == (18, 10, 1)


def test_findings_json_validates_against_schema(wh, tmp_path):
    schema = json.loads(writers.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = json.loads(report(wh, tmp_path).findings_json.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(doc)
    assert doc["account_id"] == ACCOUNT and doc["period_end"] == "2026-09-19"
    assert doc["coverage"] == [
        {"rule_id": "R03", "stage": "R", "title_zh": "流失原因集中", "title_en": "Churn reason pattern",
         "required_report_types": ["customers"], "missing_report_types": ["customers"]}
    ]  # fmt: skip
    (effect,) = doc["effects"]
    assert (effect["action_id"], effect["verdict"], effect["before_value"]) == (
        "act_00000000aa",
        "improved",
        0.004,
    )
    for bad in ({"severity": "urgent"}, {"impact_estimate": None}, {"period_end": "19/09/2026"}):
        broken = json.loads(json.dumps(doc))
        broken["findings"][0].update(bad)
        with pytest.raises(ReportError, match=r"findings\.schema\.json"):
            writers.validate_document(broken)


def test_current_findings_rule_and_ranking(wh, tmp_path):
    doc = json.loads(report(wh, tmp_path, cap=50).findings_json.read_text(encoding="utf-8"))
    ids = [f["finding_id"] for f in doc["findings"]]
    # monthly: the latest month end <= E (Aug 31), not July; weekly: period_end in [E-6, E]; one account only
    assert "f-o01" in ids and not {"f-o02-old", "f-g07-old", "f-other"} & set(ids)
    # impact_usd desc, then severity (high > medium > low), then rule_id; unknown impact last
    assert ids[:8] == ["f-o01", "f-c01", "f-g05", "f-g07", "f-g09-12", "f-g09-11", "f-r02", "f-g09-10"]
    assert ids[-1] == "f-s02"
    assert [a["finding_id"] for a in doc["action_plan"]] == ids
    assert latest_month_end(dt.date(2026, 9, 19)) == dt.date(2026, 8, 31)
    assert latest_month_end(dt.date(2026, 10, 31)) == dt.date(2026, 10, 31)


def test_action_plan_cap_owner_due_and_ledger(wh, tmp_path):
    fake = FakeActions()
    r = report(wh, tmp_path, cap=3, actions=fake)
    doc = json.loads(r.findings_json.read_text(encoding="utf-8"))
    plan = doc["action_plan"]
    assert [a["rank"] for a in plan] == [1, 2, 3] and r.actions == 3
    assert len(read_csv(r.action_plan_csv)) == 1 + 3
    o01 = plan[0]
    assert o01["due_date"] == "2026-09-22"  # high: E + 3
    assert o01["owner"] == "业务员 / Sales" and o01["owner_is_role"]  # no owner in the data: catalogue role
    (call,) = fake.calls
    assert call["created_on"] == NOW.date() and call["report_period_end"] == E
    assert set(call["items"][0]) == {
        "finding_id", "rule_id", "entity_type", "entity_id", "entity_label", "metric", "value_at_creation",
        "action_code", "action_text_zh", "action_text_en", "owner", "due_date",
    }  # fmt: skip
    assert [a["action_id"] for a in plan] == ["act_0000000000", "act_0000000001", "act_0000000002"]
    assert r.actions_recorded == 3 and all(a["status"] == "open" for a in plan)
    # again: the open actions are reused, nothing new
    again = report(wh, tmp_path, cap=3, actions=fake)
    assert again.actions_recorded == 0 and len(fake.ledger) == 3
    # full plan: owners from the data, medium/low due E + 7
    plan = json.loads(report(wh, tmp_path, cap=50, actions=FakeActions()).findings_json.read_text("utf-8"))[
        "action_plan"
    ]
    s02 = next(a for a in plan if a["rule_id"] == "S02")
    assert (s02["owner"], s02["owner_is_role"], s02["due_date"]) == ("Amy Chen", False, "2026-09-26")
    assert report(wh, tmp_path, cap=0).actions == 0


def test_not_recording_reuses_open_ledger_ids(wh, tmp_path):
    fake = FakeActions(
        [{"action_id": "act_abcdefabcd", "account_id": ACCOUNT, "rule_id": "O01", "entity_type": "store",
          "entity_id": "store", "action_code": "OPTIMIZE_MAIN_IMAGE_TITLE", "status": "open",
          "created_on": "2026-09-14", "due_date": "2026-09-15", "owner": ""}]
    )  # fmt: skip
    r = report(wh, tmp_path, record_actions=False, actions=fake)
    assert fake.calls == [] and r.actions_recorded == 0
    plan = json.loads(r.findings_json.read_text(encoding="utf-8"))["action_plan"]
    assert (plan[0]["action_id"], plan[0]["status"], plan[0]["carried_over"]) == (
        "act_abcdefabcd",
        "open",
        True,
    )
    assert plan[1]["action_id"] is None and plan[1]["status"] == "not_recorded"


def test_period_end_choice_and_errors(wh, tmp_path):
    r = report(wh, tmp_path, period_end=E - dt.timedelta(days=7))
    doc = json.loads(r.findings_json.read_text(encoding="utf-8"))
    assert [f["finding_id"] for f in doc["findings"]] == ["f-g07-old", "f-o01"]
    later = report(wh, tmp_path, period_end=E + dt.timedelta(days=7))
    assert later.findings == 1 and any(
        "no weekly funnel row" in w for w in later.warnings
    )  # August (O01) only
    with pytest.raises(ReportError, match="not a Saturday"):
        report(wh, tmp_path, period_end=dt.date(2026, 9, 18))
    with pytest.raises(ReportError, match="no weekly data for account 'nobody'"):
        build_report(wh, "nobody", out_dir=tmp_path)
    with pytest.raises(ReportError, match="gscor build"):
        build_report(Home(tmp_path / "empty"), ACCOUNT, out_dir=tmp_path)


def test_the_tiny_warehouse_holds_exactly_the_contract(wh):
    con = duckdb.connect(str(wh.published_db), read_only=True)
    try:
        have = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert have == set(WAREHOUSE_RELATIONS)
    assert list(WAREHOUSE_RELATIONS) == sorted(set(WAREHOUSE_RELATIONS))


def test_a_warehouse_without_a_contract_relation_fails_once_naming_them(tmp_path):
    home = make_warehouse(tmp_path / "home", without=("fct_findings", "fct_entity_metric_weekly"))
    with pytest.raises(ReportError) as exc:
        report(home, tmp_path)
    message = str(exc.value)
    assert "fct_findings" in message and "fct_entity_metric_weekly" in message and "gscor build" in message
    assert "fct_rule_coverage" not in message
    assert not (tmp_path / "out").exists()  # nothing written


def test_empty_findings_and_marts_render_as_no_rows(tmp_path):
    home = make_warehouse(tmp_path / "home", findings=[])
    con = duckdb.connect(str(home.published_db))
    con.execute("delete from fct_findings")
    con.execute("delete from fct_action_effects")
    con.close()
    r = report(home, tmp_path)
    assert r.findings == 0 and r.actions == 0 and r.warnings == []
    html = r.html.read_text(encoding="utf-8")
    assert 'data-chart="funnel"' in html
    # every empty table says why it is empty, not just "no rows"
    empty = dict(re.findall(r'<p class="na" data-empty="(\w+)">(.*?)</p>', html))
    assert empty and "No rows for this period." not in html
    assert all(re.sub(r"<[^>]+>", "", why).strip() for why in empty.values())


# ----------------------------------------------------------------------------------- CSV


def test_csv_bom_columns_and_formula_neutralised(wh, tmp_path):
    r = report(wh, tmp_path, cap=50)
    raw = r.action_plan_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = read_csv(r.action_plan_csv)
    assert tuple(rows[0]) == writers.CSV_HEADERS
    assert rows[0][:3] == ["编号 / ID", "账号 / Account", "创建日期 / Created on"]
    r02 = next(row for row in rows if row[writers.CSV_COLUMNS.index("rule_id")] == "R02")
    col = dict(zip(writers.CSV_COLUMNS, r02, strict=True))
    assert col["entity_label"].startswith("'=cmd|")
    assert col["owner"] == "'+1"
    assert col["action_text_zh"] == "'-2 联系客户"
    assert col["action_text_en"] == "'@x contact the customer"
    assert col["account_id"] == ACCOUNT and col["report_period_end"] == E.isoformat()
    for row in rows:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tSUM(A1)", "'\tSUM(A1)"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        ("Rework 主图", "Rework 主图"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_neutralise(value, expected):
    assert writers.neutralise(value) == expected


# ----------------------------------------------------------------------------------- HTML / MD / languages

URL_IN_ATTR = re.compile(
    r"""(?:\b(?:src|href|xlink:href|action|poster|srcset|data)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//)""",
    re.I,
)
URL_IN_CSS = re.compile(r"""url\(\s*["']?\s*(?:[a-z][a-z0-9+.-]*:)?//""", re.I)


def test_html_is_self_contained_and_escaped(wh, tmp_path):
    html = report(wh, tmp_path).html.read_text(encoding="utf-8")
    assert not URL_IN_ATTR.search(html) and not URL_IN_CSS.search(html)
    assert "<script" not in html.lower() and "<link" not in html.lower() and "@import" not in html
    assert "<img" not in html  # the label '<img src="http://…">' is text, escaped
    assert "&lt;img src=&#34;http://example.invalid/x.png&#34;&gt;" in html
    for chart in ("funnel", "trend", "keyword-quadrant", "traffic-mix", "p4p", "sparkline"):
        assert f'data-chart="{chart}"' in html, chart
    assert 'class="festival"' in html  # September festival weeks are shaded
    # sanity of the URL check itself
    assert URL_IN_ATTR.search('<img src="http://x/y.png">') and URL_IN_ATTR.search("<a href='//cdn/x'>")
    assert URL_IN_CSS.search("background:url( 'https://x/y.png')")


def headings(html: str) -> list[str]:
    found = re.findall(r"<(h[1-4]|th|figcaption|title)\b[^>]*>(.*?)</\1>", html, flags=re.S)
    return [re.sub(r"<[^>]+>", "", text) for _, text in found]


def test_languages(wh, tmp_path):
    en = report(wh, tmp_path, lang="en").html.read_text(encoding="utf-8")
    heads = headings(en)
    assert "Action plan for next week" in heads
    assert [h for h in heads if CJK.search(h)] == []
    assert 'lang="en"' in en
    zh = report(wh, tmp_path, lang="zh").html.read_text(encoding="utf-8")
    assert "下周行动计划" in headings(zh) and "Action plan for next week" not in zh
    both = report(wh, tmp_path, lang="both").html.read_text(encoding="utf-8")
    h2 = next(h for h in headings(both) if "Action plan" in h)
    assert h2.index("下周行动计划") < h2.index("Action plan for next week")  # 中文 first
    md = (tmp_path / "out" / ACCOUNT / E.isoformat() / "report.md").read_text(encoding="utf-8")
    assert "## 下周行动计划 / Action plan for next week" in md
    with pytest.raises(ValueError, match="lang"):
        report(wh, tmp_path, lang="fr")


def test_markdown_same_content_without_charts(wh, tmp_path):
    r = report(wh, tmp_path, lang="en")
    md = r.markdown.read_text(encoding="utf-8")
    assert "<svg" not in md and "<img" not in md
    assert '&lt;img src="http\\://example.invalid/x.png"&gt;' in md  # no autolink (test_ledger_robust)
    for section in ("## Summary", "## Action plan", "## G Get traffic", "## R Retention", "## The six standing",
                    "## Advanced analyses", "## Effect tracking", "## Coverage"):  # fmt: skip
        assert section in md, section
    assert "| R03 | R | Churn reason pattern | Customers (CRM) |" in md  # the export's name, not its code
    assert writers.md("a|b *c* [x](y) <i> &lt; & #") == "a\\|b \\*c\\* \\[x\\](y) &lt;i&gt; &amp;lt; & \\#"
    # rpt_product_monthly etc. are empty, and say why
    assert "Keyword weekly report" in md and "No product performance data this month" in md


# ----------------------------------------------------------------------------------- headless Chromium

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-pings", "--disable-domain-reliability",
    "--disable-client-side-phishing-detection", "--disable-default-apps", "--disable-extensions",
    "--disable-breakpad", "--no-default-browser-check",
    "--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter,"
    "AutofillServerCommunication,AimEligibilityService",
]  # fmt: skip
LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:", "chrome:", "chrome-error:")


def chromium(tmp: Path, url: str, *args: str) -> subprocess.Popen:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is missing: `apt-get install -y chromium` (make test installs it)")
    tmp.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, url],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def page_requests(net_log: Path) -> tuple[list[str], list[str]]:
    """URLs of the requests in a Chromium net log: (made for the page, made by the browser itself).

    A request belongs to the page when its initiator is an origin (a file:// page's is 'null') or its network
    isolation key / site-for-cookies names file:// ; Chromium's own service calls (time, sign-in, GCM) start
    with initiator 'not an origin' and are not the report's doing. file:// loads are not URL requests at all.
    """
    log = json.loads(net_log.read_text(encoding="utf-8", errors="replace") or "{}")
    events = log.get("events", [])
    by_source: dict[int, dict] = {}
    for e in events:
        params = e.get("params") or {}
        if not isinstance(params, dict):
            continue
        src = by_source.setdefault(e.get("source", {}).get("id"), {})
        for key in ("url", "initiator", "network_isolation_key", "site_for_cookies"):
            if key in params:
                src.setdefault(key, str(params[key]))
    page, browser = [], []
    for src in by_source.values():
        if "url" not in src:
            continue
        own = src.get("initiator", "not an origin") == "not an origin" and "file://" not in (
            src.get("network_isolation_key", "") + src.get("site_for_cookies", "")
        )
        (browser if own else page).append(src["url"])
    return page, browser


def external(urls: list[str]) -> list[str]:
    return [u for u in urls if not u.lower().startswith(LOCAL_SCHEMES)]


def test_headless_chromium_renders_charts_and_loads_nothing(wh, tmp_path):
    r = report(wh, tmp_path)
    net_log = tmp_path / "net.json"
    dom_run = chromium(tmp_path / "c1", r.html.as_uri(), "--dump-dom", f"--log-net-log={net_log}")
    shot = tmp_path / "report.png"
    shot_run = chromium(
        tmp_path / "c2",
        r.html.as_uri(),
        "--hide-scrollbars",
        "--window-size=1280,2400",
        f"--screenshot={shot}",
    )
    dom, _ = dom_run.communicate(timeout=90)
    shot_run.communicate(timeout=90)
    assert dom_run.returncode == 0
    for chart in ("funnel", "trend", "keyword-quadrant", "traffic-mix", "p4p", "sparkline"):
        assert re.search(rf'<svg class="chart" data-chart="{chart}"', dom), chart
    assert re.search(r"<polyline[^>]+points=", dom)  # the trend really has a line
    for heading in ("Action plan for next week", "Effect tracking", "Coverage: analyses that could not run"):
        assert heading in dom
    page, _ = page_requests(net_log)
    assert external(page) == [], page
    assert shot.exists() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_net_log_check_catches_an_external_image(tmp_path):
    page_file = tmp_path / "leak.html"
    page_file.write_text(
        f"<!DOCTYPE html><html><body><h1>x</h1>{EXTERNAL_IMG}</body></html>", encoding="utf-8"
    )
    net_log = tmp_path / "net.json"
    run = chromium(tmp_path / "c", page_file.as_uri(), "--dump-dom", f"--log-net-log={net_log}")
    run.communicate(timeout=90)
    page, _ = page_requests(net_log)
    assert "http://example.invalid/x.png" in external(page)


def test_with_the_real_action_ledger(wh, tmp_path):
    """gscor.actions (the effects helper's module) once it is on the branch: recorded once, then reused."""
    actions = pytest.importorskip("gscor.actions")
    home = Home(tmp_path / "home")
    shutil.copytree(wh.warehouse, home.warehouse)
    first = build_report(home, ACCOUNT, out_dir=tmp_path / "out", cap=4, now=NOW)
    second = build_report(home, ACCOUNT, out_dir=tmp_path / "out", cap=4, now=NOW)
    assert (first.actions_recorded, second.actions_recorded) == (4, 0)
    ledger = actions.read_ledger(home, ACCOUNT)
    assert len(ledger) == 4 and {r["status"] for r in ledger} == {"open"}
    plan = json.loads(second.findings_json.read_text(encoding="utf-8"))["action_plan"]
    assert [a["action_id"] for a in plan] == [r["action_id"] for r in ledger]
    assert [row[0] for row in read_csv(second.action_plan_csv)[1:]] == [r["action_id"] for r in ledger]


def test_plan_sheet_edited_in_excel_goes_back_into_the_ledger(wh, tmp_path):
    """The team marks an action done in action_plan.csv; Excel re-saves it (GB18030, its own date format,
    a Chinese status word); the ledger reads the sheet and takes the status, done date and note."""
    actions = pytest.importorskip("gscor.actions")
    home = Home(tmp_path / "home")
    shutil.copytree(wh.warehouse, home.warehouse)
    r = build_report(home, ACCOUNT, out_dir=tmp_path / "out", cap=4, now=NOW)
    rows = read_csv(r.action_plan_csv)
    header, first = rows[0], rows[1]
    idx = {c: writers.CSV_COLUMNS.index(c) for c in ("action_id", "status", "done_date", "note", "entity_id")}
    assert first[idx["status"]] == "open" and first[idx["entity_id"]]
    first[idx["status"]], first[idx["done_date"]], first[idx["note"]] = "已完成", "2026/9/24", "新主图已上线"
    sheet = tmp_path / "edited.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows([header, *rows[1:]])  # Excel: quotes only where needed
    sheet.write_bytes(buf.getvalue().encode("gb18030"))  # "CSV (逗号分隔)" on a Chinese Windows

    # the sheet itself reads as a ledger (its bilingual headers are the ledger's columns)
    _, sheet_rows = actions.ledger.read_table(sheet)
    assert sheet_rows[0][1]["action_id"] == first[idx["action_id"]] and sheet_rows[0][1]["status"] == "已完成"
    # and its edits go into the ledger
    changed = actions.update_from_sheet(home, ACCOUNT, sheet)
    assert [c["action_id"] for c in changed] == [first[idx["action_id"]]]
    done = {x["action_id"]: x for x in actions.read_ledger(home, ACCOUNT)}[first[idx["action_id"]]]
    assert (done["status"], done["done_date"], done["note"]) == ("done", "2026-09-24", "新主图已上线")
    assert sum(1 for x in actions.read_ledger(home, ACCOUNT) if x["status"] == "open") == 3
    # the rows pasted under the ledger's own header read the same (same columns, same order)
    ledger_file = actions.ledger_path(home, ACCOUNT)
    pasted = ",".join(actions.LEDGER_COLUMNS) + "\r\n" + buf.getvalue().split("\r\n", 1)[1]
    ledger_file.write_text(pasted, encoding="utf-8-sig")
    again = {x["action_id"]: x for x in actions.read_ledger(home, ACCOUNT)}[first[idx["action_id"]]]
    assert (again["status"], again["done_date"], again["entity_id"]) == (
        "done",
        "2026-09-24",
        first[idx["entity_id"]],
    )


# ----------------------------------------------------------------------------------- the real warehouse


@pytest.mark.slow
def test_report_on_built_warehouse(built_warehouse, tmp_path):
    """A real build holds every relation of the contract: a report per generated account."""
    r = build_report(built_warehouse["home"], "wh-01", out_dir=tmp_path, record_actions=False, now=NOW)
    doc = json.loads(r.findings_json.read_text(encoding="utf-8"))
    writers.validate_document(doc)
    assert doc["findings"] and doc["action_plan"] and len(doc["action_plan"]) <= 10
    html = r.html.read_text(encoding="utf-8")
    assert not URL_IN_ATTR.search(html) and not URL_IN_CSS.search(html)


def test_every_rule_metric_has_words_in_the_vocabulary():
    """A rule's metric is shown to the seller (目标指标 / Target metric): each needs its 中文/English words in
    gscor/report/vocabulary.yml, or the page shows a snake_case code (new rules G13/G15 once did)."""
    import re

    from gscor.report.i18n import term
    from gscor.warehouse import PROJECT_DIR

    metrics = set()
    for sql in (PROJECT_DIR / "models" / "marts" / "findings").glob("*/fnd_*.sql"):
        metrics |= set(re.findall(r"'([a-z][a-z0-9_]+)'\s+as metric", sql.read_text(encoding="utf-8")))
    assert len(metrics) > 20
    assert not sorted(m for m in metrics if term(m)[0] == m)
