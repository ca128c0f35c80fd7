"""The sample generator: every report type round-trips, output is deterministic, numbers agree."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb
import pytest

from gscor.ingest import ingest_paths
from gscor.paths import Home
from gscor.registry import load_registry
from gscor.samplegen import generate

CATALOGUE = Path(__file__).resolve().parents[3] / "shared" / "design" / "FINDINGS_CATALOGUE.md"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    root = tmp_path_factory.mktemp("gen")
    planted = generate(out=root / "inbox", accounts=2, weeks=13, seed=3, account_prefix="t")  # July complete
    home = Home(root / "home")
    outcomes = ingest_paths([root / "inbox"], home)
    return root, planted, home, outcomes


def q(home: Home, sql: str):
    sql = re.sub(r"\{(\w+)\}", lambda m: f"read_parquet('{home.landing}/{m.group(1)}/*/*.parquet')", sql)
    return duckdb.connect().execute(sql).fetchall()


def test_every_report_type_round_trips(generated):
    _, _, _, outcomes = generated
    bad = [(o.path.name, o.message) for o in outcomes if o.status != "loaded"]
    assert not bad
    assert {o.report_type for o in outcomes} == set(load_registry())
    assert {o.account_id for o in outcomes} == {"t-01", "t-02"}


def test_real_layouts(generated):
    root, _, _, outcomes = generated
    names = {o.path.name for o in outcomes}
    assert "Products-2026-09-19.xls" in names and "getKeywords-2026-09-19.xls" in names
    assert (root / "inbox/t-01/Products-2026-09-19.xls").read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    folders = [p for p in (root / "inbox/t-01").iterdir() if p.is_dir()]
    assert folders and all(p.name.startswith("全站推广报表-") for p in folders)
    assert any(o.path.suffix == ".csv" and o.report_type == "orders" for o in outcomes)  # GB18030 list
    assert (root / "inbox/t-01/orders-2026-09.csv").read_bytes().decode("gb18030")


def test_generation_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generate(out=a, accounts=1, weeks=8, seed=5)
    generate(out=b, accounts=1, weeks=8, seed=5)
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files_a == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files_a)


def test_numbers_agree_across_reports(generated):
    _, _, home, _ = generated
    for table, imp, clk in [
        ("product_performance", "search_impressions", "search_clicks"),
        ("keyword_performance", "impressions", "clicks"),
        ("p4p_keyword_daily", "impressions", "clicks"),
        ("p4p_fullsite_product", "impressions", "clicks"),
    ]:
        assert q(home, f"SELECT count(*) FROM {{{table}}} WHERE {clk} > {imp}")[0][0] == 0, table
    # inquiries in the list = 询盘个数 in the product table, per account, product and week
    mismatch = q(
        home,
        """
        WITH listed AS (
          SELECT i.account_id, i.product_id, p.period_start, count(*) AS n
          FROM {inquiries} i JOIN {product_performance} p
            ON p.account_id = i.account_id AND p.product_id = i.product_id
           AND CAST(i.inquiry_at AS DATE) BETWEEN p.period_start AND p.period_end
          GROUP BY ALL)
        SELECT count(*) FROM {product_performance} p
        LEFT JOIN listed l USING (account_id, product_id, period_start)
        WHERE coalesce(l.n, 0) <> p.inquiries""",
    )[0][0]
    assert mismatch == 0
    assert (
        q(
            home,
            "SELECT count(*) FROM {inquiries} i WHERE i.product_id IN "
            "(SELECT product_id FROM {product_performance} WHERE visitors = 0 AND account_id = i.account_id)",
        )[0][0]
        == 0
    )
    # orders placed inside the inquiry list's window come from buyers who inquired (the S customer's
    # regular re-orders go back a year, before the window: his inquiries predate the exports)
    orphan = q(
        home,
        "SELECT count(*) FROM {orders} o WHERE o.ordered_at >= (SELECT min(inquiry_at) FROM {inquiries}) "
        "AND NOT EXISTS (SELECT 1 FROM {inquiries} i WHERE i.account_id = o.account_id AND i.buyer_name = o.buyer_name)",
    )
    assert orphan[0][0] == 0
    for table in ("product_performance", "orders", "inquiries"):
        assert (
            q(
                home,
                f"SELECT count(*) FROM {{{table}}} t WHERE NOT EXISTS (SELECT 1 FROM {{product_catalog}} c "
                "WHERE c.account_id = t.account_id AND c.product_id = t.product_id)",
            )[0][0]
            == 0
        ), table
    assert (
        q(
            home,
            "SELECT count(*) FROM {orders} o WHERE NOT EXISTS (SELECT 1 FROM {customers} c "
            "WHERE c.account_id = o.account_id AND c.company_name = o.buyer_name)",
        )[0][0]
        == 0
    )


def test_promotion_totals_and_ledger(generated):
    root, _, home, outcomes = generated
    # the 汇总 row was dropped and checked by the ingester; recompute it from the workbooks
    from openpyxl import load_workbook

    book = next((root / "inbox/t-01").glob("全站推广报表-*/*.xlsx"))
    rows = list(load_workbook(book, read_only=True)["产品报告"].iter_rows(min_row=5, values_only=True))
    assert rows[-1][0] == "汇总"
    for col in (3, 4, 6, 7, 8, 9):
        assert rows[-1][col] == sum(r[col] for r in rows[:-1]), col
    assert round(rows[-1][10], 2) == round(sum(r[10] for r in rows[:-1]), 2)
    assert q(home, "SELECT count(*) FROM {p4p_fullsite_product} WHERE product_id = '汇总'")[0][0] == 0
    ledger = [o for o in outcomes if o.path.name.startswith("询盘台账-")]
    assert ledger and all(o.report_type == "inquiries" for o in ledger)


def test_planted_order_and_retention_problems(generated):
    _, _, home, _ = generated
    for account in ("t-01", "t-02"):
        monthly = q(
            home,
            "SELECT strftime(ordered_at, '%Y-%m'), count(*), sum(amount_usd)::DOUBLE FROM {orders} "
            f"WHERE account_id = '{account}' AND ordered_at >= DATE '2026-07-01' GROUP BY 1 ORDER BY 1",
        )
        (_, n_jul, amt_jul), (_, n_aug, amt_aug) = monthly[:2]
        assert n_aug < 0.8 * n_jul and amt_aug < 0.8 * amt_jul  # O01
        repeat = q(
            home,
            "SELECT avg(CASE WHEN n > 1 THEN 1 ELSE 0 END) FROM (SELECT buyer_name, count(DISTINCT order_id) n "
            f"FROM {{orders}} WHERE account_id = '{account}' GROUP BY 1)",
        )[0][0]
        assert repeat < 0.2  # R01
        ontime = q(
            home,
            "SELECT avg(CASE WHEN actual_ship_date <= promised_ship_date THEN 1 ELSE 0 END) FROM {orders} "
            f"WHERE account_id = '{account}' AND actual_ship_date IS NOT NULL",
        )[0][0]
        assert ontime < 0.95  # O03


def test_festival_lift(tmp_path):
    root = tmp_path / "inbox"
    generate(out=root, accounts=1, weeks=30, seed=1, account_prefix="x")
    home = Home(tmp_path / "h")
    ingest_paths(sorted((root / "x").glob("Products-*.xls")), home)  # only the product tables: fast
    by_month = dict(
        q(
            home,
            "SELECT month(period_end), avg(search_impressions) FROM {product_performance} "
            "WHERE period_end < DATE '2026-09-13' GROUP BY 1",
        )
    )
    assert by_month[3] > 1.2 * by_month[5] and by_month[9] > 1.2 * by_month[7]


def test_every_rule_is_planted(generated):
    _, planted, _, _ = generated
    rules = set(re.findall(r"^\| ([GSCOR]\d\d) \|", CATALOGUE.read_text(encoding="utf-8"), flags=re.M))
    assert len(rules) == 37
    fired = {p["rule_id"] for p in planted if not p["near_miss"]}
    assert rules <= fired, sorted(rules - fired)
    assert {"X01", "X02", "X03", "X04"} <= fired
    assert any(p["near_miss"] for p in planted)
    assert {p["account_id"] for p in planted} == {"t-01", "t-02"}
    assert all(p["entity_id"] for p in planted)


def test_rejects_too_short_a_range(tmp_path):
    with pytest.raises(ValueError):
        generate(out=tmp_path, accounts=1, weeks=4, seed=1)
    assert (
        dt.date(2026, 9, 19).weekday() == 5
    )  # the default end date is a Saturday, as the back office's weeks
