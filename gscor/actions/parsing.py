"""Tolerant parsing of what Excel makes of a ledger (dates, numbers, status words), the formula guard, ids."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import unicodedata

from .schema import FORMULA_LOOKALIKES, FORMULA_START, STATUS_WORDS, STATUSES


def earliest_done(created_on, report_period_end) -> dt.date | None:
    """The earliest plausible done date: the first day of the report week the action was planned in
    (report_period_end − 6 days), else created_on. Not created_on itself: a team that loads past weeks'
    exports records what it did back then, and its effect is measured on those weeks."""
    for value, back in ((report_period_end, 6), (created_on, 0)):
        if isinstance(value, dt.date):
            return value - dt.timedelta(days=back)
        with contextlib.suppress(ValueError, TypeError):
            if value:
                return parse_date(value) - dt.timedelta(days=back)
    return None


def action_id_for(
    account_id: str, rule_id: str, entity_type: str, entity_id: str, action_code: str, created_on
) -> str:
    """``act_`` + 10 hex chars of sha256 over the fields (``created_on`` as ISO date)."""
    created = created_on.isoformat() if isinstance(created_on, dt.date) else str(created_on)
    raw = "\x1f".join(
        str(x or "") for x in (account_id, rule_id, entity_type, entity_id, action_code, created)
    )
    return "act_" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:10]


def parse_date(text: str | dt.date | None) -> dt.date | None:
    """A date as Excel may have re-saved it; '' is None. Raises ValueError saying what is accepted."""
    if text is None:
        return None
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    s = str(text).strip()
    if not s:
        return None
    head = re.split(r"[ T]", s, maxsplit=1)[0]
    try:
        m = re.fullmatch(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", head)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", head)
        if m:
            a, b, y = int(m[1]), int(m[2]), int(m[3])
            if a > 12:
                return dt.date(y, b, a)
            if b > 12 or a == b:
                return dt.date(y, a, b)
            raise ValueError(f"{s!r} is ambiguous (day/month or month/day?): write it as {y}-MM-DD")
        m = re.fullmatch(r"(\d{5})(?:\.0+)?", head)
        if m and 20000 <= int(m[1]) <= 80000:  # an Excel serial day number (column formatted as number)
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(m[1]))
    except ValueError as exc:
        if "ambiguous" in str(exc):
            raise
        raise ValueError(f"{s!r} is not a valid date: {exc}") from None
    raise ValueError(f"{s!r} is not a date (write 2026-09-19 or 2026/9/19)")


def parse_number(text: str | float | int | None) -> float | None:
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    s = str(text).strip().replace(",", "").replace("，", "")
    if not s:
        return None
    pct = s.endswith("%")
    try:
        v = float(s[:-1] if pct else s)
    except ValueError:
        raise ValueError(f"{str(text).strip()!r} is not a number") from None
    return v / 100 if pct else v


def parse_status(text: str | None) -> str:
    s = (text or "").strip()
    if not s:
        raise ValueError(f"status is empty: write one of {', '.join(STATUSES)}")
    found = STATUS_WORDS.get(s.lower()) or STATUS_WORDS.get(s)
    if not found:
        raise ValueError(f"{s!r} is not a status: write one of {', '.join(STATUSES)}")
    return found


def _formula_char(ch: str) -> bool:
    return (
        ch in FORMULA_START
        or ch in FORMULA_LOOKALIKES
        or (not ch.isascii() and unicodedata.normalize("NFKC", ch) in FORMULA_START)
    )


def starts_like_formula(text: str) -> bool:
    """The text's first character, or its first after spaces and newlines, could start a formula in a
    spreadsheet: ``= + - @`` tab CR or a look-alike (``＝``, ``－``, ``−`` …, schema.FORMULA_LOOKALIKES)."""
    stripped = text.lstrip(" \n")
    return bool(text) and (_formula_char(text[0]) or (bool(stripped) and _formula_char(stripped[0])))


def neutralise(value: str) -> str:
    """Excel must not run a cell that starts like a formula: prefix it with ``'`` (stripped on read)."""
    return "'" + value if value and starts_like_formula(value) else value


def unneutralise(value: str) -> str:
    return value[1:] if len(value) > 1 and value[0] == "'" and starts_like_formula(value[1:]) else value


def fmt_number(v) -> str:
    if v is None or v == "":
        return ""
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def fmt_date(v) -> str:
    if v is None or v == "":
        return ""
    return v.isoformat() if isinstance(v, dt.date) else str(v)
