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
    text: TextHead | None = (
        None  # delimited text read head-first: its body is streamed (gscor/ingest/stream.py)
    )


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


# Delimited text bigger than this is read head-first: the head by Python's csv module (the header is found as
# in every format), the body streamed by Arrow (gscor/ingest/stream.py). Smaller files are parsed whole.
HEAD_BYTES = int(os.environ.get("GSCOR_CSV_HEAD_BYTES", str(256 * 1024)))
HEAD_RECORDS = 60  # the header is looked for in the first 30 rows
_CHUNK = 8 << 20


def _decodes(data: bytes, start: int, codec: str, check_nul: bool) -> bool:
    """``data[start:]`` decodes strictly as ``codec`` (and holds no NUL): checked chunk by chunk, nothing kept."""
    dec = codecs.getincrementaldecoder(codec)("strict")
    try:
        for i in range(start, len(data), _CHUNK):
            text = dec.decode(data[i : i + _CHUNK])
            if check_nul and "\x00" in text:
                return False
        dec.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def detect_codec(data: bytes) -> tuple[str, str, int] | None:
    """``(encoding label, codec, BOM bytes)`` of delimited text, by the same tests as :func:`decode_text`, without
    decoding the whole file at once; None when only the tolerant path can tell (or will refuse the file)."""
    if data.startswith(codecs.BOM_UTF8):
        ok = b"\x00" not in data and _decodes(data, 3, "utf-8", False)
        return ("utf-8-sig", "utf-8", 3) if ok else None
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return ("utf-16", codec, 2) if _decodes(data, 2, codec, True) else None
    sample = data[:4096]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        codec = "utf-16-le" if sample[1::2].count(b"\x00") >= sample[0::2].count(b"\x00") else "utf-16-be"
        return (codec, codec, 0) if _decodes(data, 0, codec, True) else None
    if b"\x00" in data:  # a NUL byte is a NUL character in UTF-8 and GB18030
        return None
    for codec in ("utf-8", "gb18030"):
        if _decodes(data, 0, codec, False):
            return codec, codec, 0
    return None


@dataclass
class TextHead:
    """The head of a delimited text (its first records, as Python's csv reads them) and where they end."""

    data: bytes
    encoding: str
    codec: str
    bom: int
    delimiter: str
    lines: list[str]  # the head's physical lines, endings kept
    record_lines: list[int]  # lines consumed once record k is read
    complete: bool  # the head is the whole file

    def body_offset(self, header_index: int) -> int | None:
        """Byte offset of the record after the header, checked to decode back to the lines before it."""
        if header_index >= len(self.record_lines):
            return None
        prefix = "".join(self.lines[: self.record_lines[header_index]])
        end = self.bom + len(prefix.encode(self.codec))
        try:
            if self.data[self.bom : end].decode(self.codec) != prefix:
                return None
        except UnicodeDecodeError:
            return None
        return end


def read_text_head(data: bytes) -> tuple[list[list[str]], TextHead] | None:
    """The first records of a delimited text, when its encoding is told without decoding it whole."""
    found = detect_codec(data)
    if found is None:
        return None
    encoding, codec, bom = found
    size = HEAD_BYTES
    while True:  # a head long enough to hold the header search's rows and a few more
        rows, head = _parse_head(data, encoding, codec, bom, size)
        if head.complete or len(rows) >= HEAD_RECORDS:
            return rows, head
        size *= 4


def _parse_head(
    data: bytes, encoding: str, codec: str, bom: int, size: int
) -> tuple[list[list[str]], TextHead]:
    complete = len(data) - bom <= size
    text = codecs.getincrementaldecoder(codec)("strict").decode(data[bom : bom + size], final=complete)
    lines = list(io.StringIO(text, newline=""))
    if not complete and lines:
        lines.pop()  # may be cut short
    reader = csv.reader(iter(lines), delimiter=_sniff_delimiter(text))
    rows: list[list[str]] = []
    record_lines: list[int] = []
    try:
        for row in reader:
            rows.append(row)
            record_lines.append(reader.line_num)
            if not complete and len(rows) > HEAD_RECORDS:
                break
    except csv.Error as exc:
        if complete:
            raise FileProblem("unreadable", f"malformed delimited text: {exc}") from exc
    if not complete and rows:
        rows.pop()  # its last line may hold only part of a quoted cell
        record_lines.pop()
    while complete and rows and not "".join(rows[-1]).strip():
        rows.pop()
    return rows, TextHead(data, encoding, codec, bom, reader.dialect.delimiter, lines, record_lines, complete)


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
    head = read_text_head(data)
    if head is not None:
        rows, text = head
        return ReadResult("csv", text.encoding, [Sheet("", rows)], text)
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
