"""Which period each landed row covers: from the title row, the file name, the rows themselves, or options.

:class:`PeriodResolver` is the part of :class:`gscor.ingest.loader.Ingester` that turns a report type's
``period.source`` (registry) into the SQL select items ``period_start``, ``period_end``, ``period_grain`` of
the landing file, with a Problem for every row whose period cannot be read.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from pathlib import Path

import pyarrow as pa

from ..errors import Problem
from ..registry import ReportType
from .layout import date_in_filename, grain_of, parse_period_text, period_from_end

MAX_PROBLEMS = 50
MONTH_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
MONTH_IN_NAME_RE = re.compile(r"(?<!\d)(20\d{2})[-_.年](\d{2})月?(?![-_.]?\d)")


class PeriodResolver:
    """Mixin of the Ingester: needs ``self.options``, ``self.loaded_at``, ``self.con`` and ``self._q``."""

    @staticmethod
    def _filename_fields(entry: ReportType, path: Path) -> dict[str, str]:
        m = re.match(entry.filename_fields, path.stem) if entry.filename_fields else None
        return {k: v for k, v in m.groupdict().items() if v} if m else {}

    def _period(
        self, entry: ReportType, path: Path, located, by_name, header, out
    ) -> tuple[list[str], list[Problem]]:
        """SQL select items for period_start/period_end/period_grain, and any problem."""
        source = entry.period["source"]
        opts = self.options

        def const(start: dt.date, end: dt.date, grain: str) -> list[str]:
            return [
                f"DATE '{start}' AS period_start",
                f"DATE '{end}' AS period_end",
                f"'{grain}' AS period_grain",
            ]

        def missing(col: str) -> list[Problem]:
            return [Problem("missing_column", f"the period column {col} is missing")]

        if source in ("title", "filename_span"):
            if located.title_period:
                start, end = located.title_period
                if opts.period and opts.period != located.title_period:
                    out.warnings.append(
                        f"--period {opts.period[0]}~{opts.period[1]} ignored: the title row says {start}~{end}"
                    )
                return const(start, end, grain_of(start, end)), []
            if source == "filename_span":
                fields = self._filename_fields(entry, path)
                if "start" in fields and "exported" in fields:
                    start = dt.datetime.strptime(fields["start"], "%Y%m%d").date()
                    end = dt.datetime.strptime(fields["exported"][:8], "%Y%m%d").date() - dt.timedelta(days=1)
                    if end >= start:
                        return const(start, end, grain_of(start, end)), []
            file_date = date_in_filename(path.name)
            if file_date and opts.grain:
                start, end = period_from_end(file_date, opts.grain)
                return const(start, end, opts.grain), []
            if opts.period:
                return const(*opts.period, grain_of(*opts.period)), []
            hint = (
                f"the file name has the date {file_date}; pass --grain day|week|month"
                if file_date
                else "pass --period START~END"
            )
            return [], [Problem("period_unknown", f"no title row with 时间周期 and no period given: {hint}")]
        if source == "row_date":
            col = entry.period["column"]
            if col not in by_name:
                return [], missing(col)
            t = f"t{by_name[col]}"
            return [
                f"{t} AS period_start",
                f"{t} AS period_end",
                f"'{entry.period.get('grain', 'day')}' AS period_grain",
            ], []
        if source in ("row_period", "row_span"):
            return self._row_periods(entry, by_name, header)
        if source == "file_span":
            col = entry.period["column"]
            if col not in by_name:
                return [], missing(col)
            lo, hi = self._q(
                f"SELECT CAST(min(t{by_name[col]}) AS DATE), CAST(max(t{by_name[col]}) AS DATE) FROM typed WHERE NOT is_total"
            )[0]
            if opts.period:
                lo, hi = opts.period
            if lo is None:
                return [], [Problem("period_unknown", f"{col} is empty in every row")]
            if not opts.period:
                # A list describes the store as of the day it was downloaded, not as of its last event: an order
                # list downloaded on 11-22 whose last order is 11-07 says "no orders from 11-08 to 11-22".
                as_of, how = self._list_as_of(path)
                if as_of < hi:
                    out.warnings.append(
                        f"the {how} ({as_of}) is before the file's last {col} {hi}: its coverage runs to {hi}"
                    )
                else:
                    hi = as_of
            return const(lo, hi, "extract"), []
        if source == "snapshot":
            day = (
                (opts.period[1] if opts.period else None)
                or date_in_filename(path.name)
                or opts.as_of
                or self.loaded_at.date()
            )
            return const(day, day, "snapshot"), []
        raise ValueError(source)

    def _list_as_of(self, path: Path) -> tuple[dt.date, str]:
        """The as-of date of a list (orders, inquiries, TM, touchpoints): the date in its file name, else the
        last day of a month its name names (``orders-2026-08.csv``: the August list) unless that is after the
        fallback, else ``--as-of``, else the load date. The second value says where the date came from."""
        named = date_in_filename(path.name)
        if named:
            return named, "date in the file name"
        fallback, how = (
            (self.options.as_of, "--as-of date")
            if self.options.as_of
            else (self.loaded_at.date(), "load date")
        )
        m = MONTH_IN_NAME_RE.search(path.stem)
        if m and 1 <= int(m.group(2)) <= 12:
            month_end = _month_end(dt.date(int(m.group(1)), int(m.group(2)), 1))
            if month_end < fallback:
                return month_end, "last day of the month in the file name"
        return fallback, how

    def _row_periods(self, entry: ReportType, by_name, header) -> tuple[list[str], list[Problem]]:
        """Each row names its own period (统计周期 text, or start/end dates): resolve the distinct ones in Python."""
        if entry.period["source"] == "row_period":
            col = entry.period["column"]
            if col not in by_name:
                return [], [Problem("missing_column", f"the period column {col} is missing")]
            pairs = self._q(f"SELECT source_row, n{by_name[col]} FROM typed WHERE NOT is_total")
            resolved, problems = [], []
            cache: dict[str, tuple[dt.date, dt.date] | None] = {}
            for row, text in pairs:
                if text not in cache:
                    cache[text] = _period_of_text(text)
                p = cache[text]
                if p is None:
                    if len(problems) < MAX_PROBLEMS:
                        problems.append(
                            Problem(
                                "bad_value",
                                "expected a period YYYY-MM-DD~YYYY-MM-DD or YYYY-MM",
                                row=row,
                                column=str(header[by_name[col]]).strip(),
                                value=text,
                            )
                        )
                    continue
                resolved.append((row, p[0], p[1], grain_of(*p)))
        else:
            s, e = entry.period["start"], entry.period["end"]
            if s not in by_name or e not in by_name:
                return [], [Problem("missing_column", f"the period columns {s}/{e} are missing")]
            pairs = self._q(f"SELECT source_row, t{by_name[s]}, t{by_name[e]} FROM typed WHERE NOT is_total")
            resolved, problems = [], []
            for row, start, end in pairs:
                if start is None or end is None or end < start:
                    problems.append(
                        Problem(
                            "bad_value",
                            f"{e} must not be before {s}",
                            row=row,
                            column=str(header[by_name[e]]).strip(),
                            value=f"{start}~{end}",
                        )
                    )
                    continue
                resolved.append((row, start, end, grain_of(start, end)))
        table = pa.table(
            {
                "source_row": pa.array([r[0] for r in resolved], pa.int32()),
                "p_start": pa.array([r[1] for r in resolved], pa.date32()),
                "p_end": pa.array([r[2] for r in resolved], pa.date32()),
                "p_grain": pa.array([r[3] for r in resolved], pa.string()),
            }
        )
        self.con.register("periods_arrow", table)
        self._q("CREATE OR REPLACE TEMP TABLE periods AS SELECT * FROM periods_arrow")
        self.con.unregister("periods_arrow")
        return [
            "periods.p_start AS period_start",
            "periods.p_end AS period_end",
            "periods.p_grain AS period_grain",
        ], problems[:MAX_PROBLEMS]


def _period_of_text(text: str | None) -> tuple[dt.date, dt.date] | None:
    if not text:
        return None
    p = parse_period_text(text)
    if p:
        return p
    m = MONTH_RE.match(text.strip())
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            start = dt.date(year, month, 1)
            return period_from_end(_month_end(start), "month")
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text.strip())
    if m:
        day = dt.date(*map(int, m.groups()))
        return day, day
    return None


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])
