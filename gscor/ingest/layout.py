"""Find the report inside a sheet: which type, where the header is, what period.

The data-advisor layout puts a title row ("产品数据, 时间周期 2026-09-13~2026-09-19")
at row 0 and the header at row 5; the promotion report skips three rows; lists
start with the header. None of that is assumed: the first rows are scanned
and every row is scored against every registry entry.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..errors import FileProblem, Problem
from ..registry import HeaderMatch, ReportType, closest_types, match_header, normalize_header
from .readers import Sheet

HEADER_SCAN_ROWS = 30
MIN_SCORE = 0.4

_DATE = r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
PERIOD_RE = re.compile(_DATE + r"\s*(?:~|～|至|to|-{1,2}|—)\s*" + _DATE)
FILENAME_DATE_RE = re.compile(r"(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})")
TOTAL_MARKERS = ("汇总", "合计", "总计", "total", "grand total")
# first characters a total marker can start with before normalisation: either case, and the
# full-width form of ASCII letters ("Ｔｏｔａｌ" normalises to "total")
_TOTAL_FIRST_CHARS = frozenset(
    f
    for m in TOTAL_MARKERS
    for c in (m[0].lower(), m[0].upper())
    for f in (c, chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c)
)
TOTAL_FIRST_CHARS = _TOTAL_FIRST_CHARS


@dataclass
class Located:
    sheet: Sheet
    header_index: int  # 0-based row index of the header in the sheet
    match: HeaderMatch
    title: str | None
    title_period: tuple[dt.date, dt.date] | None


def parse_period_text(text: str) -> tuple[dt.date, dt.date] | None:
    m = PERIOD_RE.search(unicodedata_nfkc(text))
    if not m:
        return None
    y1, m1, d1, y2, m2, d2 = (int(g) for g in m.groups())
    try:
        start, end = dt.date(y1, m1, d1), dt.date(y2, m2, d2)
    except ValueError:
        return None
    return (start, end) if start <= end else None


def unicodedata_nfkc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKC", text)


def grain_of(start: dt.date, end: dt.date) -> str:
    """Name a span: day, week (7 days), month (a whole calendar month), quarter, else custom."""
    days = (end - start).days + 1
    if days == 1:
        return "day"
    if days == 7:
        return "week"
    last = calendar.monthrange(start.year, start.month)[1]
    if start.day == 1 and end == start.replace(day=last):
        return "month"
    if start.day == 1 and start.month in (1, 4, 7, 10):
        q_end_month = start.month + 2
        if end == dt.date(start.year, q_end_month, calendar.monthrange(start.year, q_end_month)[1]):
            return "quarter"
    return "custom"


def period_from_end(end: dt.date, grain: str) -> tuple[dt.date, dt.date]:
    if grain == "day":
        return end, end
    if grain == "week":
        return end - dt.timedelta(days=6), end
    if grain == "month":
        return end.replace(day=1), end
    raise ValueError(f"unknown grain {grain!r}")


def date_in_filename(name: str) -> dt.date | None:
    for m in FILENAME_DATE_RE.finditer(name):
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            continue
    return None


def is_total_row(row: list[str | None]) -> bool:
    first = next((c for c in row if c is not None and str(c).strip()), None)
    if first is None or str(first).lstrip()[0] not in _TOTAL_FIRST_CHARS:  # cheap test for ordinary rows
        return False
    return normalize_header(first) in TOTAL_MARKERS


def _shown(cells: list[object], limit: int = 10, width: int = 24) -> list[str]:
    out = [str(c).strip()[:width] for c in cells if c is not None and str(c).strip()]
    return out[:limit] + (["…"] if len(out) > limit else [])


def unrecognised(
    sheets: list[Sheet], entries: dict[str, ReportType], file_name: str, looks_like: str | None = None
) -> FileProblem:
    """The quarantine reason of a file no report type explains: what it looks like (its header row as
    read, or ``looks_like`` when it is no table at all), the closest report types and where in the back
    office each is downloaded (the registry's ``origin``)."""
    closest = closest_types(
        [(s.name, s.rows) for s in sheets], file_name, entries, scan_rows=HEADER_SCAN_ROWS
    )
    header, header_row, sheet_name = [], None, ""
    if closest and closest[0].header_row is not None:
        sheet_name, header_row = closest[0].sheet, closest[0].header_row
        header = next(s for s in sheets if s.name == sheet_name).rows[header_row]
    else:  # the first row that looks like a header (two cells or more), else the first non-empty row
        rows = [(s.name, i, r) for s in sheets for i, r in enumerate(s.rows[:HEADER_SCAN_ROWS])]
        filled = [x for x in rows if len(_shown(x[2])) >= 2] or [x for x in rows if _shown(x[2])]
        if filled:
            sheet_name, header_row, header = filled[0]
    shown = _shown(header)
    if looks_like:
        what = looks_like
    elif shown:
        where = f"row {header_row + 1}" + (f" of sheet {sheet_name!r}" if sheet_name else "")
        what = f"its header ({where}) reads 「{' | '.join(shown)}」, which matches no report type gscor knows"
    else:
        what = "no header row in the first 30 rows: the file holds no table gscor can read"
    if closest:
        hints = [r.describe() for r in closest]
        hint = "closest: " + "; ".join(hints)
    else:
        hint = f"none of the {len(entries)} known exports shares a column with it"
        hints = [hint]
    err = FileProblem("unrecognised", f"{what}; {hint}")
    err.details = {
        "summary": what,
        "hints": hints,
        "looks_like": looks_like or ("table" if shown else "no table"),
        "header": shown,
        "header_row": None if header_row is None else header_row + 1,
        "sheet": sheet_name or None,
        "closest": [r.as_dict() for r in closest],
    }
    return err


def locate(sheets: list[Sheet], entries: dict[str, ReportType], file_name: str) -> Located:
    """Pick the (sheet, header row, report type) that best explains the file."""
    candidates: list[tuple[float, int, Sheet, int, HeaderMatch]] = []
    near_misses: list[HeaderMatch] = []
    for sheet in sheets:
        for idx, row in enumerate(sheet.rows[:HEADER_SCAN_ROWS]):
            filled = [c for c in row if c is not None and str(c).strip()]
            if len(filled) < 2:
                continue
            cells = {normalize_header(c) for c in filled}
            for entry in entries.values():
                if len(cells & entry.alias_keys) < 2:  # fewer than two known columns: match_header scores 0
                    continue
                m = match_header(row, entry)
                if m.score <= 0:
                    continue
                bonus = 0.0
                if sheet.name and any(
                    normalize_header(s) == normalize_header(sheet.name) for s in entry.sheets
                ):
                    bonus += 0.05
                if entry.filename_pattern and re.search(entry.filename_pattern, file_name):
                    bonus += 0.02
                if m.missing_required:
                    near_misses.append(m)
                    continue
                candidates.append((m.score + bonus, -idx, sheet, idx, m))
    candidates.sort(key=lambda c: (c[0], c[1]), reverse=True)
    if not candidates or candidates[0][0] < MIN_SCORE:
        near_misses.sort(key=lambda m: m.score, reverse=True)
        if near_misses and near_misses[0].score * 2 >= MIN_SCORE:
            best = near_misses[0]
            problems = [
                Problem(
                    "missing_column",
                    f"required column {c.name} ({' / '.join(c.aliases[:3])}) is missing",
                    column=c.aliases[0] if c.aliases else c.name,
                )
                for c in best.missing_required
            ]
            err = FileProblem(
                "missing_column",
                f"looks like {best.report_type.report_type} ({best.report_type.name_zh}) but required "
                f"column(s) are missing: {', '.join(c.name for c in best.missing_required)}",
                problems,
            )
            err.report_type = best.report_type.report_type
            raise err
        raise unrecognised(sheets, entries, file_name)
    score, _, sheet, idx, match = candidates[0]
    rival = next((c for c in candidates[1:] if c[4].report_type is not match.report_type), None)
    if rival is not None and abs(rival[0] - score) < 1e-9:
        raise FileProblem(
            "ambiguous",
            f"the header fits {match.report_type.report_type} and {rival[4].report_type.report_type} equally well",
        )
    if match.duplicates:
        col, cells = next(iter(match.duplicates.items()))
        header = sheet.rows[idx]
        raise FileProblem(
            "duplicate_column",
            f"column {col} appears {len(cells)} times in the header",
            [
                Problem(
                    "duplicate_column", f"header cell maps to {col} again", row=idx + 1, column=str(header[i])
                )
                for i in cells
            ],
        )
    title, title_period = None, None
    for r, row in enumerate(sheet.rows[:idx]):
        for cell in row:
            if cell and parse_period_text(str(cell)):
                title, title_period = str(cell).strip(), parse_period_text(str(cell))
                break
            if cell and PERIOD_RE.search(unicodedata_nfkc(str(cell))):
                # a title that names a period which is no valid span (2026-09-31, end before start)
                raise FileProblem(
                    "bad_period",
                    "the title row names a period that is not a valid date span",
                    [Problem("bad_period", "not a valid date span", row=r + 1, value=str(cell).strip())],
                )
        if title:
            break
    return Located(sheet, idx, match, title, title_period)
