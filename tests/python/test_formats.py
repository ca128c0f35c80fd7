"""The same export, saved every way a seller might save it, lands identically."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from conftest import REAL_KEYWORDS, REAL_PRODUCTS, ingest, landed, read_rows, write_rows

VOLATILE = {
    "source_file",
    "source_sha256",
    "loaded_at",
    "exported_at",
}  # exported_at: the file's own time or mtime


def content(home, report_type):
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in landed(home, report_type)]


def save_xls(path, rows):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v != "":
                ws.write(r, c, v)
    wb.save(str(path))
    return path


def save_xlsx(path, rows, sheet="Sheet1", others=()):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = sheet
    for row in rows:
        wb.active.append([v if v != "" else None for v in row])
    for name in others:
        wb.create_sheet(name, 0).append(["说明", "not the data"])
    wb.save(path)
    return path


SAVERS = {
    "xls": lambda p, rows: save_xls(p.with_suffix(".xls"), rows),
    "xlsx": lambda p, rows: save_xlsx(p.with_suffix(".xlsx"), rows),
    "gb18030": lambda p, rows: write_rows(p, rows, encoding="gb18030"),
    "utf8-bom": lambda p, rows: write_rows(p, rows, encoding="utf-8-sig"),
    "utf16-tab": lambda p, rows: write_rows(p.with_suffix(".txt"), rows, encoding="utf-16", delimiter="\t"),
    "crlf": lambda p, rows: write_rows(p, rows, crlf=True),
}


@pytest.mark.parametrize("fmt", sorted(SAVERS))
@pytest.mark.parametrize("source", [REAL_PRODUCTS, REAL_KEYWORDS], ids=["products", "keywords"])
def test_resaved_variants_land_identically(tmp_path, fmt, source):
    from gscor.paths import Home

    reference, variant = Home(tmp_path / "ref"), Home(tmp_path / "var")
    (ref,) = ingest([source], reference)
    (tmp_path / "variants").mkdir()
    path = SAVERS[fmt](tmp_path / "variants" / source.name, read_rows(source))
    (out,) = ingest([path], variant)
    assert out.status == "loaded", out.message
    assert out.report_type == ref.report_type
    assert content(variant, out.report_type) == content(reference, ref.report_type)


def test_title_without_spaces_and_shuffled_columns(tmp_path, home):
    rows = read_rows(REAL_KEYWORDS)
    rows[0][0] = "流量关键词,时间周期2026-09-13~2026-09-19"
    order = list(range(len(rows[5])))
    random.Random(3).shuffle(order)
    shuffled = rows[:5] + [[r[i] for i in order] if r else r for r in rows[5:]]
    (out,) = ingest([write_rows(tmp_path / "kw.csv", shuffled)], home)
    assert out.status == "loaded" and (out.period_start, out.period_end) == (
        dt.date(2026, 9, 13),
        dt.date(2026, 9, 19),
    )
    rows_landed = landed(home, "keyword_performance")
    assert sum(r["impressions"] for r in rows_landed) == 26483 and len(rows_landed) == 500


def test_unknown_columns_kept_as_extras(tmp_path, home):
    rows = read_rows(REAL_PRODUCTS)
    rows[5] = [*rows[5], "备注"]
    for r in rows[6:]:
        r.append("check price")
    (out,) = ingest([write_rows(tmp_path / "Products-2026-09-19.csv", rows)], home)
    assert out.status == "loaded" and out.extra_columns == ["备注"]
    assert any("备注" in w for w in out.warnings)
    first = landed(home, "product_performance")[0]
    assert json.loads(first["extra_columns"]) == {"备注": "check price"}


@pytest.mark.parametrize("fmt", ["xlsx", "gb18030"])
def test_empty_extra_cells_land_alike_from_every_format(tmp_path, fmt):
    from gscor.ingest.loader import Home

    rows = read_rows(REAL_PRODUCTS)
    rows[5] = [*rows[5], "备注", "来源"]
    for i, r in enumerate(rows[6:]):
        r.extend(["check price" if i % 2 else "", "展会"])
    landed_by = {}
    for name, save in (("csv", write_rows), (fmt, SAVERS[fmt])):
        home = Home(tmp_path / name)
        (tmp_path / name).mkdir(exist_ok=True)
        (out,) = ingest([save(tmp_path / name / "Products-2026-09-19.csv", rows)], home)
        assert out.status == "loaded", out.message
        landed_by[name] = content(home, "product_performance")
    assert landed_by["csv"] == landed_by[fmt]
    assert json.loads(landed_by["csv"][0]["extra_columns"]) == {"备注": None, "来源": "展会"}


def test_header_spelling_variants(tmp_path, home):
    rows = read_rows(REAL_PRODUCTS)
    rows[5] = [f"\u3000{h.strip()}  " for h in rows[5]]  # full-width and trailing spaces
    rows[5][0] = "product id"  # English alias, other case
    rows[5][5] = "Search Impressions"
    (out,) = ingest([write_rows(tmp_path / "p.csv", rows)], home)
    assert out.status == "loaded", out.message
    assert sum(r["search_impressions"] for r in landed(home, "product_performance")) == 54082


def test_blank_trailing_rows_and_columns(tmp_path, home):
    rows = [[*r, "", ""] for r in read_rows(REAL_KEYWORDS)] + [[""] * 13] * 3
    (out,) = ingest([write_rows(tmp_path / "kw.csv", rows)], home)
    assert out.status == "loaded" and out.rows == 500 and out.extra_columns == []


def test_xlsx_data_on_a_named_sheet_among_others(tmp_path, home):
    path = save_xlsx(
        tmp_path / "Products.xlsx", read_rows(REAL_PRODUCTS), sheet="产品数据", others=("封面", "说明")
    )
    (out,) = ingest([path], home)
    assert out.status == "loaded" and out.rows == 365


def test_no_title_uses_file_name_date_and_grain(tmp_path, home):
    rows = read_rows(REAL_PRODUCTS)[5:]  # header first, no title row
    (out,) = ingest([write_rows(tmp_path / "Products-2026-09-19.csv", rows)], home, grain="week")
    assert out.status == "loaded"
    assert (out.period_start, out.period_end, out.period_grain) == (
        dt.date(2026, 9, 13),
        dt.date(2026, 9, 19),
        "week",
    )


def test_no_title_uses_period_option(tmp_path, home):
    rows = read_rows(REAL_PRODUCTS)[5:]
    period = (dt.date(2026, 9, 1), dt.date(2026, 9, 30))
    (out,) = ingest([write_rows(tmp_path / "export.csv", rows)], home, period=period)
    assert out.status == "loaded" and (out.period_start, out.period_end, out.period_grain) == (
        *period,
        "month",
    )


def test_title_wins_over_a_conflicting_period_option(tmp_path, home):
    (out,) = ingest([REAL_PRODUCTS], home, period=(dt.date(2026, 1, 1), dt.date(2026, 1, 7)))
    assert out.period_start == dt.date(2026, 9, 13) and any("ignored" in w for w in out.warnings)


@pytest.mark.parametrize("marker", ["汇总", "\u3000合计", "Ｔｏｔａｌ", "Grand Total"])
def test_matching_total_row_is_checked_and_dropped(tmp_path, home, marker):
    rows = read_rows(REAL_PRODUCTS)
    total = [marker] + [""] * (len(rows[5]) - 1)
    total[[h.strip() for h in rows[5]].index("搜索曝光次数")] = "54,082"
    (out,) = ingest([write_rows(tmp_path / "Products-2026-09-19.csv", [*rows, total])], home)
    assert out.status == "loaded" and out.rows == 365, out.message
    landed_rows = landed(home, "product_performance")
    assert marker not in {r["product_id"] for r in landed_rows} and len(landed_rows) == 365
