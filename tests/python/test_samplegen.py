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
    assert (root / "inbox/t-01/orders-2026-09-20.csv").read_bytes().decode("gb18030")  # downloaded 09-20


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


# -- consistency defects the generator once had (each test would have caught one) ------------------
END = "DATE '2026-09-19'"  # the fixture's export end (a Saturday)
END_TS = "TIMESTAMP '2026-09-20 00:00:00'"


def test_p4p_inquiries_are_a_subset_of_the_stores(generated):
    """(a) The P4P reports' inquiries and TM buyers, per keyword and week and in total, never exceed
    the store's (店铺数据 per week): they are the store's own inquiries credited to a promotion."""
    _, _, home, _ = generated
    over = q(
        home,
        """
        WITH store AS (
          SELECT account_id, stat_date - CAST(dayofweek(stat_date) AS INTEGER) AS week_start,
                 sum(inquiries) AS inq, sum(tm_buyers) AS tm
          FROM {shop_daily} GROUP BY ALL),
        kw AS (
          SELECT account_id, stat_date - CAST(dayofweek(stat_date) AS INTEGER) AS week_start, keyword,
                 sum(inquiries) AS inq, sum(tm_inquiries) AS tm
          FROM {p4p_keyword_daily} GROUP BY ALL),
        kw_week AS (SELECT account_id, week_start, sum(inq) AS inq, sum(tm) AS tm FROM kw GROUP BY ALL),
        fullsite AS (
          SELECT account_id, period_start AS week_start, sum(inquiries) AS inq, sum(tm_inquiries) AS tm
          FROM {p4p_fullsite_product} GROUP BY ALL)
        SELECT
          (SELECT count(*) FROM kw JOIN store USING (account_id, week_start)
            WHERE kw.inq > store.inq OR kw.tm > store.tm),
          (SELECT count(*) FROM store LEFT JOIN kw_week k USING (account_id, week_start)
            LEFT JOIN fullsite f USING (account_id, week_start)
            WHERE coalesce(k.inq, 0) + coalesce(f.inq, 0) > store.inq
               OR coalesce(k.tm, 0) + coalesce(f.tm, 0) > store.tm),
          (SELECT count(*) FROM store), (SELECT sum(inq) FROM kw_week), (SELECT sum(inq) FROM fullsite)""",
    )[0]
    kw_over, week_over, weeks, kw_total, fullsite_total = over
    assert weeks == 2 * 13 and kw_total > 0 and fullsite_total > 0
    assert kw_over == 0 and week_over == 0
    # per day too: the keyword report's inquiries that day are among the store's
    assert (
        q(
            home,
            "SELECT count(*) FROM (SELECT account_id, stat_date, sum(inquiries) n, sum(tm_inquiries) t "
            "FROM {p4p_keyword_daily} GROUP BY ALL) k JOIN {shop_daily} s USING (account_id, stat_date) "
            "WHERE k.n > s.inquiries OR k.t > s.tm_buyers",
        )[0][0]
        == 0
    )
    # ... and the keyword report's opportunities came through clicks
    assert (
        q(home, "SELECT count(*) FROM {p4p_keyword_daily} WHERE inquiries + tm_inquiries > clicks")[0][0] == 0
    )


def test_p4p_keywords_have_opportunities_except_the_planted_one(generated):
    """Every P4P keyword but the planted G06/C03 one has an opportunity in every 4-week window."""
    _, _, home, _ = generated
    dry = q(
        home,
        """
        WITH wk AS (
          SELECT account_id, keyword, stat_date - CAST(dayofweek(stat_date) AS INTEGER) AS week_start,
                 sum(clicks) AS clicks, sum(inquiries + tm_inquiries) AS opp
          FROM {p4p_keyword_daily} GROUP BY ALL),
        win AS (
          SELECT account_id, keyword, week_start, count(*) OVER w AS weeks,
                 sum(clicks) OVER w AS clicks, sum(opp) OVER w AS opp
          FROM wk WINDOW w AS (PARTITION BY account_id, keyword ORDER BY week_start
                               ROWS BETWEEN 3 PRECEDING AND CURRENT ROW))
        SELECT DISTINCT keyword FROM win WHERE weeks = 4 AND opp = 0 AND clicks >= 20""",
    )
    assert [r[0] for r in dry] == ["mesh sneakers"]


def test_nothing_happens_after_the_export_end(generated):
    """(b) no order ships after the export's end date; (c) no reply, chat or touchpoint after it."""
    _, _, home, _ = generated
    assert q(home, f"SELECT count(*) FROM {{orders}} WHERE actual_ship_date > {END}")[0][0] == 0
    assert q(home, f"SELECT count(*) FROM {{orders}} WHERE ordered_at >= {END_TS}")[0][0] == 0
    # shipped orders say so; the rest wait (some are already overdue: O03 counts them)
    assert (
        q(
            home,
            "SELECT count(*) FROM {orders} WHERE (actual_ship_date IS NULL) <> (order_status = '待发货')",
        )[0][0]
        == 0
    )
    assert q(home, "SELECT count(*) FROM {orders} WHERE actual_ship_date IS NULL")[0][0] > 0
    assert q(home, f"SELECT count(*) FROM {{inquiries}} WHERE first_reply_at >= {END_TS}")[0][0] == 0
    assert q(home, "SELECT count(*) FROM {inquiries} WHERE first_reply_at < inquiry_at")[0][0] == 0
    assert (
        q(
            home,
            f"SELECT count(*) FROM {{tm_conversations}} WHERE started_at >= {END_TS} "
            f"OR started_at + to_milliseconds(CAST(first_response_minutes * 60000 AS BIGINT)) >= {END_TS}",
        )[0][0]
        == 0
    )
    assert (
        q(
            home,
            "SELECT count(*) FROM {buyer_touchpoints} t JOIN {orders} o "
            "ON o.account_id = t.account_id AND o.order_id = t.order_id AND t.action = '下单' "
            "JOIN {buyer_touchpoints} e ON e.account_id = t.account_id AND e.buyer_id = t.buyer_id "
            f"WHERE e.touched_at > o.ordered_at AND e.touched_at < {END_TS} AND e.action <> '下单' "
            "AND e.touched_at < o.ordered_at + INTERVAL 1 DAY",
        )[0][0]
        == 0
    )


def test_every_buyer_is_in_the_crm(generated):
    """(d) Every buyer who chats (TM), inquires or orders is a customer in the CRM list."""
    _, _, home, _ = generated
    for table in ("tm_conversations", "inquiries", "orders"):
        missing = q(
            home,
            f"SELECT count(DISTINCT buyer_name) FROM {{{table}}} t WHERE NOT EXISTS ("
            "SELECT 1 FROM {customers} c WHERE c.account_id = t.account_id AND c.company_name = t.buyer_name)",
        )[0][0]
        assert missing == 0, table
    # ... with a last contact no earlier than their last chat
    assert (
        q(
            home,
            "SELECT count(*) FROM {customers} c JOIN (SELECT account_id, buyer_name, max(started_at) m "
            "FROM {tm_conversations} GROUP BY ALL) t ON t.account_id = c.account_id "
            "AND t.buyer_name = c.company_name WHERE c.last_contact_date < CAST(t.m AS DATE)",
        )[0][0]
        == 0
    )


def test_opportunity_rates_are_rates(generated):
    """(e) 商机转化率 ≤ 100%: a channel's inquiry + TM buyers never exceed its visitors, nor a product's,
    nor the store's opportunity buyers its visitors; the peer benchmark's own value likewise."""
    _, _, home, _ = generated
    assert (
        q(home, "SELECT count(*) FROM {traffic_source} WHERE inquiry_buyers + tm_buyers > visitors")[0][0]
        == 0
    )
    assert (
        q(home, "SELECT count(*), max(opportunity_rate) FROM {traffic_source} WHERE opportunity_rate > 1")[0][
            0
        ]
        == 0
    )
    assert (
        q(home, "SELECT count(*) FROM {product_performance} WHERE inquiries + tm_buyers > visitors")[0][0]
        == 0
    )
    assert q(home, "SELECT count(*) FROM {shop_daily} WHERE opportunity_buyers > store_visitors")[0][0] == 0
    assert q(home, "SELECT count(*) FROM {traffic_source} WHERE visitors > 0")[0][0] > 0


def _order_lines(home: Home) -> list[tuple]:
    """account, month, product, quantity, amount, fob_min, unit_cost of every order."""
    return q(
        home,
        "SELECT o.account_id, strftime(o.ordered_at, '%Y-%m'), o.product_id, o.quantity::DOUBLE, "
        "o.amount_usd::DOUBLE, c.fob_min_usd::DOUBLE, c.unit_cost_usd::DOUBLE FROM {orders} o "
        "JOIN {product_catalog} c ON c.account_id = o.account_id AND c.product_id = o.product_id",
    )


def test_orders_sell_at_list_price_and_margins_are_planted(generated):
    """(f) The low-AOV months (O02) come from smaller orders, never from a discount: every order is
    priced at its FOB floor, so no line sells below cost; O05's plant has a margin just below 10%
    and its near miss (a top seller) just above."""
    _, planted, home, _ = generated
    lines = _order_lines(home)
    assert lines
    for acct, _m, pid, qty, amount, fob, _cost in lines:
        assert amount == pytest.approx(qty * fob, abs=0.01), (acct, pid)
    margins = {(a, pid): 1 - cost / fob for a, _m, pid, _q, _amt, fob, cost in lines}
    assert min(margins.values()) > 0
    for account in ("t-01", "t-02"):
        hit = [p for p in planted if p["rule_id"] == "O05" and p["account_id"] == account]
        (plant,) = [p["entity_id"] for p in hit if not p["near_miss"]]
        (near,) = [p["entity_id"] for p in hit if p["near_miss"]]
        assert 0.08 <= margins[(account, plant)] < 0.10
        assert 0.10 < margins[(account, near)] <= 0.12
        others = [m for (a, pid), m in margins.items() if a == account and pid not in (plant, near)]
        assert min(others) > 0.25
        # both are top-10 products by amount in the last complete month (August)
        aug: dict[str, float] = {}
        for a, month, pid, _q, amount, _f, _c in lines:
            if a == account and month == "2026-08":
                aug[pid] = aug.get(pid, 0.0) + amount
        top = sorted(aug, key=lambda p: -aug[p])[:10]
        assert plant in top and near in top


def test_low_aov_is_made_of_smaller_orders(generated):
    """O02: August's AOV < 0.8 × July's (and the 3 months' average), with fewer pairs per order."""
    _, _, home, _ = generated
    for account in ("t-01", "t-02"):
        rows = q(
            home,
            "SELECT strftime(ordered_at, '%Y-%m') m, count(*), sum(amount_usd)::DOUBLE / count(*), "
            f"avg(quantity) FROM {{orders}} WHERE account_id = '{account}' "
            "AND ordered_at >= DATE '2026-07-01' AND ordered_at < DATE '2026-09-01' GROUP BY 1 ORDER BY 1",
        )
        (_, n_jul, aov_jul, qty_jul), (_, n_aug, aov_aug, qty_aug) = rows
        assert n_jul >= 20 and n_aug >= 10
        assert aov_aug < 0.8 * aov_jul and aov_aug < 0.8 * (aov_jul + aov_aug) / 2
        assert qty_aug < 0.8 * qty_jul


def test_tm_list_agrees_with_shop_and_product_tables(generated):
    """The TM list holds one chat per TM buyer the shop overview counts, per day, with the week's buyers
    distinct; per week it equals the product table's TM buyers (so P4P TM ⊂ the list's TM buyers)."""
    _, _, home, _ = generated
    diff = q(
        home,
        """
        WITH shop AS (SELECT account_id, stat_date AS d, sum(tm_buyers) AS n FROM {shop_daily} GROUP BY ALL),
        chats AS (SELECT account_id, CAST(started_at AS DATE) AS d, count(*) AS n FROM {tm_conversations}
                  GROUP BY ALL),
        prod AS (SELECT account_id, period_start, sum(tm_buyers) AS n FROM {product_performance} GROUP BY ALL),
        wk AS (SELECT account_id, d - CAST(dayofweek(d) AS INTEGER) AS period_start, sum(n) AS n,
                      count(DISTINCT d) AS days FROM shop GROUP BY ALL),
        distinct_buyers AS (
          SELECT account_id, CAST(started_at AS DATE) - CAST(dayofweek(started_at) AS INTEGER) AS period_start,
                 count(*) - count(DISTINCT buyer_name) AS repeats FROM {tm_conversations} GROUP BY ALL)
        SELECT
          (SELECT count(*) FROM shop FULL JOIN chats USING (account_id, d)
            WHERE coalesce(shop.n, 0) <> coalesce(chats.n, 0)),
          (SELECT count(*) FROM wk JOIN prod USING (account_id, period_start) WHERE wk.n <> prod.n),
          (SELECT count(*) FROM wk JOIN prod USING (account_id, period_start)),
          (SELECT sum(repeats) FROM distinct_buyers)""",
    )[0]
    day_mismatch, week_mismatch, weeks, repeats = diff
    assert weeks == 2 * 13
    assert day_mismatch == 0 and week_mismatch == 0 and repeats == 0


@pytest.fixture(scope="module")
def demo30(tmp_path_factory):
    """The `make run` demo: 1 account × 30 weeks, seed 7 (files only, not ingested)."""
    root = tmp_path_factory.mktemp("demo30")
    planted = generate(out=root, accounts=1, weeks=30, seed=7, account_prefix="demo")
    return root / "demo", planted


def _xls_rows(path: Path, report_type: str) -> list[dict]:
    """A 数据参谋 .xls's rows keyed by the registry's column names (the header is at row 5)."""
    import xlrd

    names = [c.name for c in load_registry()[report_type].columns]
    sheet = xlrd.open_workbook(str(path)).sheet_by_index(0)
    return [dict(zip(names, sheet.row_values(r), strict=True)) for r in range(6, sheet.nrows)]


def test_demo_channel_opportunity_rates_stay_rates(demo30):
    """(e) on the demo (where a 200% 商机转化率 once appeared): every channel-day's inquiry + TM buyers ≤
    its visitors, and the small channels sit above half the store's rate (only 会场 is a G04 finding)."""
    root, _ = demo30
    rows = [r for f in sorted(root.glob("TrafficSource-*.xls")) for r in _xls_rows(f, "traffic_source")]
    assert len(rows) == 30 * 7 * 12
    by_channel: dict[str, list[int]] = {}
    for r in rows:
        visitors, inq, tm = (int(r[h]) for h in ("visitors", "inquiry_buyers", "tm_buyers"))
        assert inq + tm <= visitors, r
        rate = float(r["opportunity_rate"].rstrip("%")) / 100
        assert 0 <= rate <= 1, r
        agg = by_channel.setdefault(r["channel"], [0, 0])
        agg[0] += visitors
        agg[1] += inq + tm
    store = sum(o for _, o in by_channel.values()) / sum(v for v, _ in by_channel.values())
    low = sorted(c for c, (v, o) in by_channel.items() if o / v < 0.5 * store)
    assert low == ["会场"]


def _demo_orders(root: Path) -> list[dict]:
    import csv

    rows = []
    for f in sorted(root.glob("orders-*.csv")):
        with f.open(encoding="gb18030", newline="") as fh:
            rows.extend(csv.DictReader(fh))
    return rows


def test_demo_orders_plant_o01_o02_o05_o06_without_discounts(demo30):
    """(f) on the demo: August (the last complete month) has < 80% of July's orders and amount (O01), an
    AOV < 0.8 × the 3 months before and < 0.8 × the 3 months to August (O02) from fewer pairs per order,
    the planted product > 50% of August's amount (O06); and no order below its FOB floor."""
    from openpyxl import load_workbook

    root, planted = demo30
    orders = _demo_orders(root)
    head = list(orders[0])
    when, pid, qty_h, amt_h = head[1], head[4], head[6], head[7]
    book = load_workbook(next(root.glob("product-catalog-*.xlsx")), read_only=True)
    cat = list(book.worksheets[0].iter_rows(values_only=True))
    fob = {r[0]: float(r[9]) for r in cat[1:]}
    months: dict[str, list[tuple[str, float, float]]] = {}
    for o in orders:
        amount = float(o[amt_h].replace("US $", "").replace(",", ""))
        qty = float(o[qty_h])
        assert amount == pytest.approx(qty * fob[o[pid]], abs=0.01), o
        months.setdefault(o[when][:7].replace("/", "-"), []).append((o[pid], qty, amount))

    def aov(m: str) -> float:
        return sum(a for _, _, a in months[m]) / len(months[m])

    def pairs(m: str) -> float:
        return sum(q for _, q, _ in months[m]) / len(months[m])

    aug, jul = "2026-08", "2026-07"
    assert len(months[aug]) < 0.8 * len(months[jul])
    assert sum(a for *_, a in months[aug]) < 0.8 * sum(a for *_, a in months[jul])
    before = ["2026-05", "2026-06", "2026-07"]
    assert aov(aug) < 0.8 * sum(aov(m) for m in before) / 3
    assert aov(aug) < 0.8 * sum(aov(m) for m in [*before[1:], aug]) / 3
    assert pairs(aug) < 0.8 * min(pairs(m) for m in before)
    (o06,) = [p["entity_id"] for p in planted if p["rule_id"] == "O06"]
    assert sum(a for p, _, a in months[aug] if p == o06) > 0.5 * sum(a for *_, a in months[aug])
