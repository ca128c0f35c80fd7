"""Time semantics (issue 10 item 8): a store that exports the way the contract says sellers do — weekly files,
lists and snapshots downloaded the day after the week (``orders-2026-11-22.csv``,
``product-catalog-2026-11-22.xlsx``), and a weekly 同行对比.

(a) a list's as-of date is the date in its file name, else ``--as-of``, else the load date, and its coverage
    runs to it: R02 (an S customer silent since July) is current in the week ending 11-21;
(b) a snapshot taken up to 7 days after a report week counts for that week: S02 from the catalog dated 11-22 is
    in the report of the week ending 11-21;
(c) 同行对比 rows are judged at their own grain: a weekly 统计周期 gives weekly S07 findings.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from conftest import REPO, ingest, query_db

from gscor.cli import app
from gscor.ingest import IngestOptions, ingest_paths
from gscor.paths import Home
from gscor.report.plan import current_findings
from gscor.samplegen import generate
from gscor.samplegen.core import headers, pct, row_for
from gscor.samplegen.writers import write_data_advisor_xls

END = dt.date(2026, 11, 21)  # the report week 2026-11-15 .. 2026-11-21 (Sunday–Saturday)
DOWNLOADED = END + dt.timedelta(days=1)
WEEK = "2026-11-15~2026-11-21"


def _weekly_benchmark(path, week: str, inquiry_rate: float, peer_rate: float) -> None:
    rows = [
        row_for(
            "industry_benchmark",
            {"stat_period": week, "metric_name": name, "my_value": mine, "peer_avg": avg},
        )
        for name, mine, avg in [
            ("访客数", "1000", "900"),
            ("询盘率", pct(inquiry_rate), pct(peer_rate)),
            ("点击率", pct(0.03), pct(0.031)),
        ]
    ]
    write_data_advisor_xls(path, f"同行对比, 统计周期 {week}", headers("industry_benchmark"), rows)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """One generated account × 8 weeks ending 2026-11-21, re-dated the way the contract's seller works: the
    catalog and the CRM snapshot are dated the day after the week; the monthly 同行对比 is replaced by weekly
    exports (the report week at 50% of peers, the week before at 95%)."""
    from gscor.warehouse import build

    root = tmp_path_factory.mktemp("time")
    h = Home(root / "home")
    inbox = h.data / "inbox"
    planted = generate(inbox, 1, 8, 11, account_prefix="ts", end_date=END)
    acct = inbox / "ts"
    (acct / f"product-catalog-{END}.xlsx").rename(acct / f"product-catalog-{DOWNLOADED}.xlsx")
    (acct / f"customers-{END}.xlsx").rename(acct / f"customers-{DOWNLOADED}.xlsx")
    for f in acct.glob("PeerBenchmark-*.xls"):
        f.unlink()
    _weekly_benchmark(acct / f"PeerBenchmark-{DOWNLOADED}.xls", WEEK, 0.02, 0.04)
    _weekly_benchmark(acct / "PeerBenchmark-2026-11-15.xls", "2026-11-08~2026-11-14", 0.038, 0.04)
    outcomes = ingest_paths([inbox], h, IngestOptions())
    bad = [(o.path.name, o.message) for o in outcomes if o.status != "loaded"]
    assert not bad, bad
    result = build(h)
    assert result.success, result.message
    return {"home": h, "db": result.published, "planted": planted, "outcomes": outcomes}


def _cadence() -> dict[str, str]:
    with open(REPO / "seeds" / "rule_catalogue.csv", encoding="utf-8") as fh:
        return {r["rule_id"]: r["cadence"] for r in csv.DictReader(fh)}


def _findings(db) -> list[dict]:
    cols = ["finding_id", "rule_id", "entity_id", "period_grain", "period_start", "period_end", "severity"]
    cadence = _cadence()
    rows = query_db(db, f"select {', '.join(cols)} from fct_findings where account_id = 'ts'")
    return [{**dict(zip(cols, r, strict=True)), "cadence": cadence[r[1]]} for r in rows]


def test_lists_cover_up_to_their_download_date(store):
    orders = [o for o in store["outcomes"] if o.report_type == "orders"]
    assert any(o.path.name == f"orders-{DOWNLOADED}.csv" and o.period_end == DOWNLOADED for o in orders)
    # a past month's list (orders-2026-10.csv) runs to that month's last day
    assert any(o.path.name == "orders-2026-10.csv" and o.period_end == dt.date(2026, 10, 31) for o in orders)
    assert query_db(store["db"], "select data_end from int_order_data_coverage where account_id = 'ts'") == [
        (DOWNLOADED,)
    ]


def test_r02_and_s02_are_current_in_the_week_the_files_describe(store):
    vip = next(p for p in store["planted"] if p["rule_id"] == "R02" and not p["near_miss"])["entity_id"]
    near = next(p for p in store["planted"] if p["rule_id"] == "R02" and p["near_miss"])["entity_id"]
    current = current_findings(_findings(store["db"]), END)
    r02 = {f["entity_id"] for f in current if f["rule_id"] == "R02"}
    assert vip in r02 and near not in r02
    assert any(f["period_end"] == END for f in current if f["rule_id"] == "R02")
    s02 = [f for f in current if f["rule_id"] == "S02"]
    assert s02 and {f["period_end"] for f in s02} == {DOWNLOADED}
    # the snapshot does not reach back further than the grace: a report two weeks later has no stale S02
    # of a newer snapshot, and one five weeks later none at all
    assert not [
        f
        for f in current_findings(_findings(store["db"]), END + dt.timedelta(days=35))
        if f["rule_id"] == "S02"
    ]


def test_weekly_peer_benchmark_gives_weekly_s07(store):
    rows = query_db(
        store["db"],
        "select period_grain, period_start, period_end, metric from fct_findings "
        "where account_id = 'ts' and rule_id = 'S07'",
    )
    assert rows == [("week", dt.date(2026, 11, 15), END, "inquiry_rate")]  # the week before is at 95%
    current = current_findings(_findings(store["db"]), END)
    assert [f["period_grain"] for f in current if f["rule_id"] == "S07"] == ["week"]


# -- the as-of date of a list without a date in its name --------------------------------------------------------

ORDER_ROW = {
    "order_id": "TA1",
    "ordered_at": "2026/11/07 10:00",
    "buyer_name": "Buyer One",
    "buyer_country": "United States",
    "product_id": "P1",
    "product_name": "Shoe",
    "quantity": 2,
    "amount_usd": "US $20.00",
    "order_status": "已发货",
    "promised_ship_date": "2026-11-20",
    "actual_ship_date": "2026-11-10",
    "is_sample": "否",
}


def _order_list(path) -> None:
    from gscor.samplegen.writers import write_csv

    write_csv(path, headers("orders"), [row_for("orders", ORDER_ROW)])


def test_as_of_option_then_load_date(tmp_path, home):
    _order_list(tmp_path / "orders.csv")
    [given] = ingest([tmp_path / "orders.csv"], home, as_of=DOWNLOADED)
    assert (given.period_start, given.period_end) == (dt.date(2026, 11, 7), DOWNLOADED)

    other = Home(tmp_path / "h2")
    _order_list(tmp_path / "x" / "orders.csv")
    [loaded] = ingest([tmp_path / "x" / "orders.csv"], other)
    assert loaded.period_end == dt.datetime.now(dt.UTC).date() or loaded.period_end >= DOWNLOADED

    # the date in the file name wins over --as-of
    _order_list(tmp_path / "y" / "orders-2026-11-22.csv")
    [named] = ingest(
        [tmp_path / "y" / "orders-2026-11-22.csv"], Home(tmp_path / "h3"), as_of=dt.date(2026, 12, 1)
    )
    assert named.period_end == DOWNLOADED
    # a date before the last event cannot shorten the list: it runs to its last order, with a warning
    _order_list(tmp_path / "z" / "orders-2026-11-01.csv")
    [early] = ingest([tmp_path / "z" / "orders-2026-11-01.csv"], Home(tmp_path / "h4"))
    assert early.period_end == dt.date(2026, 11, 7) and any(
        "before the file's last" in w for w in early.warnings
    )


def test_as_of_on_the_command_line(tmp_path):
    from typer.testing import CliRunner

    _order_list(tmp_path / "orders.csv")
    home = tmp_path / "home"
    env = {"GSCOR_HOME": str(home), "COLUMNS": "200"}
    runner = CliRunner()
    result = runner.invoke(
        app, ["ingest", str(tmp_path / "orders.csv"), "--account", "acme", "--as-of", "2026-11-22"], env=env
    )
    assert result.exit_code == 0, result.output
    manifest = [json.loads(f.read_text(encoding="utf-8")) for f in Home(home).manifest.rglob("*.json")]
    assert [str(m["period_end"]) for m in manifest if m.get("report_type") == "orders"] == ["2026-11-22"]
    bad = runner.invoke(app, ["ingest", str(tmp_path / "orders.csv"), "--as-of", "22.11.2026"], env=env)
    assert bad.exit_code != 0 and "--as-of" in bad.output
