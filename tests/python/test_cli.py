"""The command line: exit codes, account inference, GSCOR_HOME / --home, status with gaps and missing
exports, --version, help without Python types, empty homes, unrecognised files explained."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from conftest import REAL_KEYWORDS, REAL_PRODUCTS, read_rows, write_rows
from typer.testing import CliRunner

from gscor.cli import app
from gscor.registry import load_registry

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def product_week(folder, end: str, start: str):
    rows = read_rows(REAL_PRODUCTS)
    rows[0][0] = f"产品数据, 时间周期 {start}~{end}"
    return write_rows(folder / f"Products-{end}.csv", rows)


def test_all_loaded_exits_0_and_account_comes_from_the_inbox(tmp_path):
    inbox = tmp_path / "data" / "inbox" / "acme"
    inbox.mkdir(parents=True)
    shutil.copy(REAL_PRODUCTS, inbox)
    result = run("ingest", tmp_path / "data" / "inbox", "--home", tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "manifest" / "acme").is_dir()
    assert "loaded 1 file(s), 365 rows" in result.output


def test_some_quarantined_exits_1_and_the_rest_load(tmp_path):
    inbox = tmp_path / "inbox" / "acme"
    inbox.mkdir(parents=True)
    shutil.copy(REAL_KEYWORDS, inbox)
    (inbox / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("ingest", tmp_path / "inbox", "--home", tmp_path / "h")
    assert result.exit_code == 1, result.output
    assert "loaded 1 file(s), 500 rows" in result.output and "quarantined 1" in result.output


def test_usage_errors_exit_2(tmp_path):
    home = ["--home", tmp_path / "h"]
    assert run("ingest", REAL_PRODUCTS, "--account", "a", "--grain", "year", *home).exit_code == 2
    assert run("ingest", REAL_PRODUCTS, "--account", "a", "--period", "last week", *home).exit_code == 2
    assert (
        run("ingest", REAL_PRODUCTS, "--account", "a", "--period", "2026-09-19~2026-09-13", *home).exit_code
        == 2
    )
    assert run("ingest", tmp_path / "nope.csv", "--account", "a", *home).exit_code == 2
    assert run("ingest", REAL_PRODUCTS, *home).exit_code == 2  # not under inbox/, no --account
    assert run("ingest", REAL_PRODUCTS, "--account", "../etc", *home).exit_code == 2
    assert not (tmp_path / "h" / "data" / "landing").exists()  # nothing was touched


def test_gscor_home_from_the_environment(tmp_path):
    result = run("ingest", REAL_KEYWORDS, "--account", "env", env={"GSCOR_HOME": str(tmp_path / "envhome")})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "envhome" / "data" / "manifest" / "env").is_dir()


def test_status_shows_coverage_gaps_and_quarantine(tmp_path):
    inbox = tmp_path / "inbox" / "acme"
    inbox.mkdir(parents=True)
    product_week(inbox, "2026-09-05", "2026-08-30")
    product_week(inbox, "2026-09-12", "2026-09-06")
    product_week(inbox, "2026-09-26", "2026-09-20")  # the week of 09-13~09-19 is missing
    (inbox / "broken.xlsx").write_bytes(b"PK\x03\x04not really")
    home = ["--home", tmp_path / "h"]
    assert run("ingest", tmp_path / "inbox", *home).exit_code == 1
    result = run("status", *home)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "acme" in out and "product_performance" in out and "2026-08-30~2026-09-26" in out
    assert "2026-09-13~2026-09-19" in out  # the gap
    assert "broken.xlsx" in out and "quarantined" in out and "damaged" in out  # with its reason
    other = run("status", "--account", "nobody", *home)
    assert "nothing loaded" in other.output


# -- a CLI that explains itself (issue 11 item 5) ----------------------------------------------------------


def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    import gscor

    result = run("--version")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"gscor {gscor.__version__} (dbt-core ")
    assert gscor.__version__ == version("gscor")


def test_build_and_report_on_an_empty_home_say_so_without_running_dbt(tmp_path, monkeypatch):
    import gscor.warehouse

    def no_dbt(*args, **kwargs):
        raise AssertionError("dbt must not run on an empty home")

    monkeypatch.setattr(gscor.warehouse, "_run_dbt", no_dbt)
    home = tmp_path / "h"
    build = run("build", "--home", home)
    assert build.exit_code == 1, build.output
    assert "nothing loaded yet" in build.output and "gscor ingest" in build.output
    assert not (home / "warehouse").exists()  # no lock, no .building/, no dbt target/
    report = run("report", "--home", home)
    assert report.exit_code == 1, report.output
    assert "nothing loaded yet" in report.output and "gscor build" in report.output
    assert not (home / "reports").exists()


def test_report_before_any_build_names_the_missing_warehouse(tmp_path):
    home = ["--home", tmp_path / "h"]
    assert run("ingest", REAL_KEYWORDS, "--account", "acme", *home).exit_code == 0
    result = run("report", *home)
    assert result.exit_code == 1, result.output
    assert "no published warehouse" in result.output and "gscor build" in result.output


def test_an_unrecognised_file_says_what_it_looks_like_and_where_the_closest_exports_come_from(tmp_path):
    inbox = tmp_path / "inbox" / "acme"
    inbox.mkdir(parents=True)
    (inbox / "Products-2026-09-19.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n" * 20)
    write_rows(inbox / "sales.csv", [["订单号", "金额", "备注", "买家国家"], ["A1", "100", "x", "US"]])
    write_rows(inbox / "notes.csv", [["a", "b"], ["1", "2"]])
    h = tmp_path / "h"
    result = run("ingest", tmp_path / "inbox", "--home", h)
    assert result.exit_code == 1, result.output
    reasons = {
        r["file_name"]: r
        for r in (
            json.loads(p.read_text(encoding="utf-8"))
            for p in (h / "data" / "quarantine").glob("*/reason.json")
        )
    }
    orders = load_registry()["orders"]

    sales = reasons["sales.csv"]
    assert sales["rule"] == "unrecognised" and "see gscor/registry" not in sales["message"]
    assert sales["header"] == ["订单号", "金额", "备注", "买家国家"] and sales["header_row"] == 1
    assert "「订单号 | 金额 | 备注 | 买家国家」" in sales["message"]
    closest = sales["closest"][0]
    assert closest["report_type"] == "orders" and closest["origin"] == orders.origin
    assert closest["matched_columns"] == ["订单号", "买家国家"]
    assert orders.origin in sales["message"]

    pdf = reasons["Products-2026-09-19.pdf"]
    assert pdf["rule"] == "unrecognised" and pdf["message"].startswith("a PDF document, not a table")
    assert pdf["header"] == [] and pdf["closest"][0]["report_type"] == "product_performance"  # by its name
    assert load_registry()["product_performance"].origin in pdf["message"]

    notes = reasons["notes.csv"]
    assert notes["header"] == ["a", "b"] and notes["closest"] == []
    assert "none of the 18 known exports shares a column" in notes["message"]

    out = " ".join(result.output.split())  # the CLI says the same: header, closest types, where to get them
    assert "「订单号 | 金额 | 备注 | 买家国家」" in out and "closest report types:" in out
    assert "信保订单" in out and "download it from My Alibaba" in out and "a PDF document" in out


COMMANDS = [
    [],
    ["ingest"],
    ["status"],
    ["build"],
    ["report"],
    ["run"],
    ["action"],
    ["action", "done"],
    ["action", "list"],
]
PYTHON_TYPES = re.compile(
    r"<(bool|str|int|float|path|Path|datetime)>|<list\[|\b(TEXT|INTEGER|BOOLEAN|FLOAT|PATH)\b"
)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "gscor")
def test_help_shows_no_python_type_names(command):
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"}, terminal_width=200)
    assert result.exit_code == 0, result.output
    assert not PYTHON_TYPES.findall(result.output), result.output


def test_status_lists_the_missing_exports_and_the_rules_each_unlocks(tmp_path):
    from gscor.paths import Home
    from gscor.status import missing_exports

    home = ["--home", tmp_path / "h"]
    assert run("ingest", REAL_PRODUCTS, "--account", "acme", *home).exit_code == 0
    missing = {m.report_type.report_type: m for m in missing_exports(Home(tmp_path / "h"))}
    assert "product_performance" not in missing and len(missing) == len(load_registry()) - 1
    orders = missing["orders"]
    assert {r.rule_id for r in orders.unlocks} >= {"O01", "O02", "O03", "R01"}
    assert ("O04", ["product_catalog"]) in [(r.rule_id, o) for r, o in orders.with_others]
    # product_performance is loaded, so the catalog alone unlocks the rules needing both
    assert {"G10", "S05"} <= {r.rule_id for r in missing["product_catalog"].unlocks}  # G09 runs without it
    assert missing["buyer_touchpoints"].unlocks == [] and missing["buyer_touchpoints"].with_others == []

    result = run("status", *home)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "missing exports" in out and "信保订单" in out and "My Alibaba · 交易管理" in out
    assert "O01 Trade Assurance" in out and "with product_catalog also" in out
