"""Read an export file into sheets of string cells, whatever its format.

Formats are detected from the bytes, not the file name: BIFF8 ``.xls`` (OLE2
compound file), ``.xlsx`` (zip), or delimited text in UTF-8, UTF-8 with BOM,
UTF-16 (Excel "Unicode text", tab separated) or GB18030/GBK.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import FileProblem

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

# Files people drop in the inbox that are no table at all: told apart by their first bytes.
NOT_A_TABLE = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x1f\x8b": "a gzip archive",
}
NOT_A_TABLE_ADVICE = "not a table: download the report from the back office as Excel (.xls/.xlsx) or CSV"

MAX_FILE_BYTES = int(os.environ.get("GSCOR_MAX_FILE_MB", "512")) * 1024 * 1024
# A workbook's unpacked XML and a sheet's cells are bounded too: a bomb under the ratio limit (6.7 MB packed,
# 187:1, 1.26 GB unpacked, ~70 million cells) took 6.9 GB of memory. A real back-office export is a few MB
# unpacked (the largest lists: ~100k rows × 40 columns ≈ 4M cells, ~300 MB of sheet XML).
MAX_UNZIPPED_BYTES = int(os.environ.get("GSCOR_MAX_UNZIPPED_MB", "512")) * 1024 * 1024
MAX_CELLS = int(os.environ.get("GSCOR_MAX_CELLS", str(10_000_000)))
MAX_ZIP_RATIO = 200  # uncompressed / compressed beyond this is a zip bomb, not a report


@dataclass
class Sheet:
    name: str
    rows: list[list[str | None]]


@dataclass
class ReadResult:
    format: str  # xls | xlsx | csv
    encoding: str | None
    sheets: list[Sheet]


def cell_text(value: object) -> str | None:
    """A spreadsheet cell as the text a person sees (numbers without a spurious '.0')."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, dt.timedelta):
        return str(value.total_seconds())
    return str(value)


def _trim(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Drop trailing blank cells on each row and trailing blank rows."""
    out = []
    for row in rows:
        end = len(row)
        while end and (row[end - 1] is None or str(row[end - 1]).strip() == ""):
            end -= 1
        out.append(row[:end])
    while out and not out[-1]:
        out.pop()
    return out


def _read_workbook(path: Path, fmt: str) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types per format
        raise FileProblem("unreadable", f"cannot open the {fmt} workbook: {exc}") from exc
    sheets = []
    for name in wb.sheet_names:
        try:
            sheet = wb.get_sheet_by_name(name)
        except Exception as exc:
            raise FileProblem("unreadable", f"cannot read sheet {name!r}: {exc}") from exc
        cells = sheet.height * sheet.width
        if cells > MAX_CELLS:
            raise FileProblem(
                "oversize",
                f"sheet {name!r} spans {sheet.height:,} rows × {sheet.width:,} columns = {cells:,} cells, over "
                f"the limit of {MAX_CELLS:,} (GSCOR_MAX_CELLS)",
            )
        try:
            data = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise FileProblem("unreadable", f"cannot read sheet {name!r}: {exc}") from exc
        sheets.append(Sheet(name, _trim([[cell_text(v) if v != "" else None for v in r] for r in data])))
    return sheets


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise FileProblem("unreadable", f"the file looks like .xlsx but the zip is damaged: {exc}") from exc
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO:
        raise FileProblem(
            "oversize",
            f"the workbook unpacks to {total:,} bytes (ratio {total / packed:.0f}:1), over the limit "
            f"of {MAX_UNZIPPED_BYTES:,} bytes (GSCOR_MAX_UNZIPPED_MB) or {MAX_ZIP_RATIO}:1",
        )
    if not any(i.filename.startswith("xl/") for i in infos):
        raise FileProblem("unrecognised", f"a zip archive that is no Excel workbook, {NOT_A_TABLE_ADVICE}")


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode delimited text: BOMs first, then strict UTF-8, UTF-16 by NUL pattern, GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without BOM: ASCII characters leave NULs on the odd (LE) or even (BE) bytes
        odd = sample[1::2].count(b"\x00")
        even = sample[0::2].count(b"\x00")
        enc = "utf-16-le" if odd >= even else "utf-16-be"
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            raise FileProblem("encoding", f"looks like UTF-16 but does not decode: {exc}") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise FileProblem(
            "encoding", "the text is in no encoding gscor can recognise (tried UTF-8/16, GB18030)"
        )
    return str(best), best.encoding


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text[:65536].splitlines() if ln.strip()][:40]
    best, best_count = ",", 0
    for delim in (",", "\t", ";", "|"):
        count = max((ln.count(delim) for ln in lines), default=0)
        if count > best_count:
            best, best_count = delim, count
    return best


def read_text(data: bytes) -> tuple[list[list[str]], str]:
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise FileProblem("encoding", f"decoded as {encoding} but contains NUL characters: not a text export")
    delim = _sniff_delimiter(text)
    try:
        # empty cells stay "" (the SQL rules read "" as unknown); only trailing blank rows are dropped
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        raise FileProblem("unreadable", f"malformed delimited text: {exc}") from exc
    while rows and not "".join(rows[-1]).strip():
        rows.pop()
    return rows, encoding


def read_file(path: Path, data: bytes) -> ReadResult:
    """``data`` is the file's bytes (already read for hashing); workbooks are opened by path."""
    size = len(data)
    if size == 0:
        raise FileProblem("empty", "the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        raise FileProblem("oversize", f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,}")
    head = data[:8]
    for magic, what in NOT_A_TABLE.items():
        if head.startswith(magic):
            raise FileProblem("unrecognised", f"{what}, {NOT_A_TABLE_ADVICE}")
    if head.startswith(OLE2_MAGIC):
        return ReadResult("xls", None, _read_workbook(path, "xls"))
    if head.startswith(ZIP_MAGIC):
        _check_zip(path)
        return ReadResult("xlsx", None, _read_workbook(path, "xlsx"))
    rows, encoding = read_text(data)
    return ReadResult("csv", encoding, [Sheet("", rows)])


_CORE_TIME_RE = re.compile(rb"<dcterms:(created|modified)[^>]*>([^<]+)</dcterms:\1>")


def export_time(path: Path, data: bytes | None = None) -> dt.datetime:
    """When the export was made (UTC, naive): an .xlsx's own creation time (docProps/core.xml, written by the
    back office when it generated the file) where present, else the file's modification time — when it was
    downloaded."""
    if data is not None and data.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                core = zf.read("docProps/core.xml")[:65536]
            stamps = dict(_CORE_TIME_RE.findall(core))
            text = (stamps.get(b"created") or stamps.get(b"modified") or b"").decode().strip()
            if text:
                t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
                return (t.astimezone(dt.UTC) if t.tzinfo else t).replace(tzinfo=None)
        except (KeyError, ValueError, zipfile.BadZipFile, UnicodeDecodeError):
            pass
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC).replace(tzinfo=None)
    except OSError:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)
