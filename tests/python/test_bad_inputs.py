"""Bad input: a clear reason naming file, row, column and value; quarantine; the other files still load."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import REAL_KEYWORDS, REAL_PRODUCTS, ingest, landed, read_rows, reason, write_rows

from gscor.ingest import readers
from gscor.registry import load_registry


def products(edit=None):
    rows = read_rows(REAL_PRODUCTS)
    if edit:
        edit(rows)
    return rows


def col(rows, header):
    return [h.strip() for h in rows[5]].index(header)


def set_cell(row_number, header, value):
    """Edit the cell at spreadsheet row ``row_number`` (1-based) under ``header``."""

    def edit(rows):
        rows[row_number - 1][col(rows, header)] = value

    return edit


def list_file(report_type, rows, drop=()):
    headers = [c.aliases[0] for c in load_registry()[report_type].columns]
    keep = [i for i, h in enumerate(headers) if h not in drop]
    return [[headers[i] for i in keep], *[[r.get(headers[i], "") for i in keep] for r in rows]]


ORDER = {
    "订单号": "TA1",
    "下单时间": "2026-09-01 10:00:00",
    "产品ID": "1601825074604",
    "订单金额(美元)": "US $120.00",
}


def xlsx_bytes(rows, sheet="产品报告", preamble=()):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for r in [*preamble, *rows]:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def fullsite(total_clicks):
    headers = [c.aliases[0] for c in load_registry()["p4p_fullsite_product"].columns]
    body = [
        ["1601825074604", "L1", "shoe", 100, 5, "5%", 1, 0, 1, 0, 14.0],
        ["1601939625569", "L2", "shoe", 50, 2, "4%", 0, 0, 0, 0, 5.6],
    ]
    total = ["汇总", "", "", 150, total_clicks, "4.67%", 1, 0, 1, 0, 19.6]
    return xlsx_bytes(
        [headers, *body, total], preamble=[["全站推广报表"], [""], ["时间周期：2026-09-13~2026-09-19"]]
    )


def zip_bytes(entries):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


# name: (file name, content builder → bytes or rows, expected rule(s), expected (row, column, value) or None)
CASES = {
    "empty file": ("Products-2026-09-19.csv", lambda: b"", {"empty"}, None),
    "header only": ("Products-2026-09-19.csv", lambda: products()[:6], {"empty"}, None),
    "unrecognisable table": ("sales.csv", lambda: [["a", "b", "c"], ["1", "2", "3"]], {"unrecognised"}, None),
    "a PDF": (
        "report.pdf",
        lambda: b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\x00\x00\x00\x00" * 20,
        {"unrecognised", "encoding"},
        None,
    ),
    "a PNG": (
        "chart.png",
        lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
        {"unrecognised", "encoding"},
        None,
    ),
    "corrupt xlsx": ("Products.xlsx", lambda: b"PK\x03\x04" + b"\x14\x00garbage" * 50, {"unreadable"}, None),
    "zip that is not a workbook": (
        "Products.xlsx",
        lambda: zip_bytes({"readme.txt": "hello"}),
        {"unrecognised"},
        None,
    ),
    "zip bomb": (
        "Products.xlsx",
        lambda: zip_bytes({"xl/worksheets/sheet1.xml": b"0" * 20_000_000}),
        {"oversize"},
        None,
    ),
    "missing required column": (
        "Products-2026-09-19.csv",
        lambda: [r[:5] + r[6:] for r in products()],
        {"missing_column"},
        (None, "搜索曝光次数", None),
    ),
    "text in a count": (
        "Products-2026-09-19.csv",
        lambda: products(set_cell(7, "搜索点击次数", "abc")),
        {"bad_value"},
        (7, "搜索点击次数", "abc"),
    ),
    "fraction in a count": (
        "Products-2026-09-19.csv",
        lambda: products(set_cell(9, "询盘个数", "4.5")),
        {"bad_value"},
        (9, "询盘个数", "4.5"),
    ),
    "malformed percentage": (
        "Products-2026-09-19.csv",
        lambda: products(set_cell(8, "搜索点击率", "1.6.2%")),
        {"bad_value"},
        (8, "搜索点击率", "1.6.2%"),
    ),
    "thousands separator misused": (
        "Products-2026-09-19.csv",
        lambda: products(set_cell(10, "搜索曝光次数", "1,23")),
        {"bad_value"},
        (10, "搜索曝光次数", "1,23"),
    ),
    "bad boolean": (
        "Products-2026-09-19.csv",
        lambda: products(set_cell(11, "是否橱窗", "maybe")),
        {"bad_value"},
        (11, "是否橱窗", "maybe"),
    ),
    "empty product ID": (
        "Products-2026-09-19.csv",
        lambda: products(set_cell(8, "产品ID", "")),
        {"missing_value"},
        (8, "产品ID", None),
    ),
    "product ID rounded by Excel": (
        "Products-2026-09-19.csv",
        lambda: products(set_cell(12, "产品ID", "1.60183E+12")),
        {"id_rounded"},
        (12, "产品ID", "1.60183E+12"),
    ),
    "bad timestamp": (
        "orders.csv",
        lambda: list_file("orders", [{**ORDER, "下单时间": "2026-13-45 25:00"}]),
        {"bad_value"},
        (2, "下单时间", "2026-13-45 25:00"),
    ),
    "bad date": (
        "orders.csv",
        lambda: list_file("orders", [{**ORDER, "约定发货日期": "next week"}]),
        {"bad_value"},
        (2, "约定发货日期", "next week"),
    ),
    "bad amount": (
        "orders.csv",
        lambda: list_file("orders", [{**ORDER, "订单金额(美元)": "US $12.3.4"}]),
        {"bad_value"},
        (2, "订单金额(美元)", "US $12.3.4"),
    ),
    "total row disagrees": (
        "全站推广-爆款2026091320260920093005.xlsx",
        lambda: fullsite(total_clicks=9),
        {"total_mismatch"},
        (7, "点击量", "9"),
    ),
    "two cells for one column": (
        "Products-2026-09-19.csv",
        lambda: products(lambda rows: rows[5].__setitem__(col(rows, "对比人数"), "询盘个数")),
        {"duplicate_column"},
        None,
    ),
    "impossible date in the title": (
        "Products-2026-09-19.csv",
        lambda: products(lambda rows: rows[0].__setitem__(0, "产品数据, 时间周期 2026-09-13~2026-09-31")),
        {"bad_period"},
        (1, None, "产品数据, 时间周期 2026-09-13~2026-09-31"),
    ),
    "no period anywhere": ("export.csv", lambda: products()[5:], {"period_unknown"}, None),
    "undecodable bytes": (
        "Products.csv",
        lambda: bytes([0x81, 0xFF, 0x30, 0xFE] * 500),
        {"unrecognised", "encoding"},
        None,
    ),
    "bad statistics period": (
        "PeerBenchmark.csv",
        lambda: [["统计周期", "指标", "我的", "同行平均"], ["last month", "点击率", "1%", "2%"]],
        {"bad_value"},
        (2, "统计周期", "last month"),
    ),
    "test ends before it starts": (
        "ab.csv",
        lambda: [
            ["实验编号", "产品ID", "版本", "开始日期", "结束日期"],
            ["AB1", "1", "A", "2026-09-10", "2026-09-01"],
        ],
        {"bad_value"},
        (2, None, None),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_quarantined_and_others_load(tmp_path, home, case):
    name, build, rules, where = CASES[case]
    content = build()
    bad = tmp_path / "drop" / name
    if isinstance(content, bytes):
        bad.parent.mkdir(parents=True, exist_ok=True)
        bad.write_bytes(content)
    else:
        write_rows(bad, content)
    outcomes = ingest([REAL_KEYWORDS, bad], home)
    good, out = outcomes
    assert good.status == "loaded" and len(landed(home, "keyword_performance")) == 500
    assert out.status == "quarantined", f"{case}: {out.status} {out.message}"
    r = reason(home, out)
    assert r["file_name"] == name and r["rule"] in rules, r
    assert r["message"] and r["problems"] and r["problem_count"] >= len(r["problems"])
    assert r["problems"][0]["rule"] in rules, r["problems"][0]
    if where:
        row, column, value = where
        first = r["problems"][0]
        if row is not None:
            assert first["row"] == row, first
        if column is not None:
            assert first["column"] == column, first
        if value is not None:
            assert first["value"] == value, first
    # nothing lost: the original sits in quarantine and in the archive, unchanged; nothing landed for it
    assert (home.quarantine / out.sha256 / name).read_bytes() == bad.read_bytes()
    assert (home.archive / f"{out.sha256}{bad.suffix.lower()}").read_bytes() == bad.read_bytes()
    assert not list(home.landing.rglob(f"{out.sha256}*"))


def test_oversize_file(tmp_path, home, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 1000)
    outcomes = ingest([REAL_PRODUCTS], home)
    assert outcomes[0].status == "quarantined" and reason(home, outcomes[0])["rule"] == "oversize"


def test_problems_are_capped_but_counted(tmp_path, home):
    def spoil(rows):
        c = col(rows, "搜索点击次数")
        for r in rows[6:206]:
            r[c] = "n/a?"

    (out,) = ingest([write_rows(tmp_path / "Products-2026-09-19.csv", products(spoil))], home)
    r = reason(home, out)
    assert out.status == "quarantined" and len(r["problems"]) == 50 and r["problem_count"] == 200
    assert [p["row"] for p in r["problems"]] == list(range(7, 57))


def test_every_problem_in_a_file_is_reported(tmp_path, home):
    def spoil(rows):
        set_cell(7, "搜索点击次数", "abc")(rows)
        set_cell(20, "是否P4P", "perhaps")(rows)

    (out,) = ingest([write_rows(tmp_path / "Products-2026-09-19.csv", products(spoil))], home)
    problems = reason(home, out)["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(7, "搜索点击次数"), (20, "是否P4P")]


def assert_quarantined_beside_good(home, outcomes, bad, rule):
    good, out = outcomes
    assert good.status == "loaded" and len(landed(home, "keyword_performance")) == 500
    assert out.status == "quarantined", out.message
    r = reason(home, out)
    assert r["file_name"] == bad.name and r["rule"] == rule, r
    assert (home.quarantine / out.sha256 / bad.name).read_bytes() == bad.read_bytes()
    assert (home.archive / f"{out.sha256}{bad.suffix.lower()}").read_bytes() == bad.read_bytes()
    assert not list(home.landing.rglob(f"{out.sha256}*"))
    return r


def test_oversize_file_beside_a_good_one(tmp_path, home, monkeypatch):
    bad = write_rows(tmp_path / "drop" / "Products-2026-09-19.csv", products())
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", REAL_KEYWORDS.stat().st_size + 1)
    r = assert_quarantined_beside_good(home, ingest([REAL_KEYWORDS, bad], home), bad, "oversize")
    assert f"{bad.stat().st_size:,}" in r["message"]


def test_workbook_unpacking_past_the_size_limit(tmp_path, home, monkeypatch):
    """A modest ratio but more unpacked bytes than GSCOR_MAX_UNZIPPED_MB allows."""
    from openpyxl import Workbook

    wb = Workbook()
    for i, row in enumerate(products()):
        wb.active.append(row)
        if i > 60:
            break
    bad = tmp_path / "drop" / "Products.xlsx"
    bad.parent.mkdir(parents=True)
    wb.save(bad)
    monkeypatch.setattr(readers, "MAX_UNZIPPED_BYTES", 10_000)
    assert_quarantined_beside_good(home, ingest([REAL_KEYWORDS, bad], home), bad, "oversize")


def test_workbook_sheet_past_the_cell_limit(tmp_path, home, monkeypatch):
    """Issue 12 item 9: a workbook under the ratio and size limits whose sheet spans too many cells (a low-ratio
    zip bomb: 1.26 GB unpacked, ~70 million cells) is quarantined before its cells become Python objects."""
    from openpyxl import Workbook

    wb = Workbook()
    for row in products()[:40]:
        wb.active.append(row)
    bad = tmp_path / "drop" / "Products.xlsx"
    bad.parent.mkdir(parents=True)
    wb.save(bad)
    monkeypatch.setattr(readers, "MAX_CELLS", 500)
    r = assert_quarantined_beside_good(home, ingest([REAL_KEYWORDS, bad], home), bad, "oversize")
    assert "cells" in r["message"] and "GSCOR_MAX_CELLS" in r["message"]


def test_the_default_limits_stop_the_low_ratio_bomb():
    """The bomb of the red-team pass (1.26 GB unpacked, ~70 million cells) is past both default limits,
    while the largest real lists (~4M cells, ~300 MB of sheet XML) are within them."""
    assert readers.MAX_UNZIPPED_BYTES < 1_260_000_000 and readers.MAX_CELLS < 70_000_000
    assert readers.MAX_UNZIPPED_BYTES > 300 * 1024 * 1024 and readers.MAX_CELLS > 4_000_000


def test_header_that_fits_two_report_types_equally(tmp_path, home, monkeypatch):
    import dataclasses

    from gscor.ingest import loader

    real = load_registry()
    twin = dataclasses.replace(real["product_performance"], report_type="product_performance_twin")
    monkeypatch.setattr(loader, "load_registry", lambda: {**real, twin.report_type: twin})
    bad = write_rows(tmp_path / "drop" / "Products-2026-09-19.csv", products())
    r = assert_quarantined_beside_good(home, ingest([REAL_KEYWORDS, bad], home), bad, "ambiguous")
    assert "product_performance_twin" in r["message"]
