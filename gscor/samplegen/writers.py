"""Write tables in the back office's real file layouts, byte-deterministically."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)


def list_file_label(month: str, last_week_end: dt.date) -> str:
    """The date part of a list's file name (orders, inquiries, TM …, one file per month): a past month's list
    is named by its month (``orders-2026-08``: as of that month's last day); the month still running at the
    last week end was downloaded the day after that week, and carries the download date
    (``orders-2026-09-20``), which is the list's as-of date: its coverage runs to it."""
    if month == last_week_end.strftime("%Y-%m"):
        return (last_week_end + dt.timedelta(days=1)).isoformat()
    return month


def write_data_advisor_xls(path: Path, title: str, headers: list[str], rows: list[list[str]]) -> None:
    """BIFF8 .xls as the 数据参谋 export writes it: title at row 0, rows 1-4 blank, header at row 5,
    every cell text (the back office's Java Excel API writes labels, even for numbers)."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Sheet1")
    ws.write(0, 0, title)
    for c, h in enumerate(headers):
        ws.write(5, c, h)
    for r, row in enumerate(rows, start=6):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(buf.getvalue())


def write_xlsx(
    path: Path,
    headers: list[str],
    rows: list[list[object]],
    sheet: str = "Sheet1",
    preamble: list[list[object]] | None = None,
    extra_sheets: tuple[str, ...] = (),
) -> None:
    """An .xlsx with optional rows before the header; zip entry times and document
    properties are fixed so the same data gives the same bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in preamble or []:
        ws.append(row)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    for name in extra_sheets:
        wb.create_sheet(name).append(["说明", "本表由系统导出"])
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "gscor-samplegen"
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_fix_zip_times(buf.getvalue()))


def _fix_zip_times(data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps 'modified' with the time of saving
                stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            dst.writestr(fixed, data)
    return out.getvalue()


def write_csv(path: Path, headers: list[str], rows: list[list[object]], encoding: str = "gb18030") -> None:
    """A list as Excel on Chinese Windows saves it (GB18030, CRLF)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(headers)
    for row in rows:
        w.writerow(["" if v is None else v for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode(encoding))
