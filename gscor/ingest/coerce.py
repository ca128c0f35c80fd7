"""Value rules, as DuckDB SQL over the raw string cells.

Every canonical type has a normalising expression and a typed expression; a
cell that is non-empty after normalising but has no typed value breaks its
column's rule, and is reported with its row, header and text.

- ``-``, ``--``, ``N/A`` and empty mean unknown: NULL, never 0.
- ``1.62%`` is the fraction 0.0162; a bare number in a percentage column is
  taken as already a fraction (how Excel stores a cell formatted as %).
- ``1,234`` has a thousands separator; ``0.0`` in an integer column is 0.
- ``$ 12.50``, ``US $12.50``, ``¥80``: the sign is stripped, the currency kept
  in ``<column>_currency`` (the registry's currency when no sign is printed).
- ``Y/N``, ``是/否``, ``true/false`` are booleans.
- Dates and timestamps as ``YYYY-MM-DD[ HH:MM[:SS]]`` or with ``/``; the
  clock is the report's (recorded in ``source_timezone``), never converted.
"""

from __future__ import annotations

from ..registry import Column

NULL_TOKENS = ("", "-", "--", "—", "－", "N/A", "n/a", "NA", "null", "NULL", "None", "/")
_NUM = r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?([eE][+-]?\d+)?"
_INT = r"[+-]?(\d{1,3}(,\d{3})+|\d+)(\.0+)?"
# the common cells, "1234", "-3", "12.5", "1.62%": a simple pattern and a plain cast. Every string these match
# is matched by the full patterns above and casts to the same value there (no ',' to drop, no '.0' to strip, no
# currency sign), so the fast branch only saves work
_PLAIN_INT = r"[+-]?[0-9]+"
_PLAIN_NUM = r"[+-]?[0-9]+(\.[0-9]+)?"
_CURRENCY_PREFIX = r"(US\s*\$|USD|\$|¥|￥|RMB|CNY|€|EUR)"
_CURRENCY_SUFFIX = r"(USD|CNY|RMB|元|美元)"
TRUE_TOKENS = ("Y", "YES", "是", "TRUE", "T", "1", "有", "√")
FALSE_TOKENS = ("N", "NO", "否", "FALSE", "F", "0", "无", "×")
DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y%m%d", "%Y-%m-%dT%H:%M:%S"]
TS_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d",
]

DUCKDB_TYPES = {
    "text": "VARCHAR",
    "int": "BIGINT",
    "decimal": "DOUBLE",
    "pct": "DOUBLE",
    "money": "DECIMAL(18,4)",
    "bool": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}

RULE_TEXT = {
    "int": "a whole number (1,234 or 0.0 allowed)",
    "decimal": "a number",
    "pct": "a percentage like 1.62% (or a fraction)",
    "money": "an amount, optionally with $ / US $ / ¥ / ￥",
    "bool": "Y/N or 是/否",
    "date": "a date YYYY-MM-DD",
    "timestamp": "a time YYYY-MM-DD HH:MM[:SS]",
}


def sql_literal(s: str) -> str:
    """``s`` as an SQL string literal (quotes doubled): paths and values never reach SQL pasted raw."""
    return "'" + s.replace("'", "''") + "'"


_lit = sql_literal


def _list(items) -> str:
    return "[" + ", ".join(_lit(i) for i in items) + "]"


def trim_expr(raw: str) -> str:
    """Trim ordinary, full-width and no-break spaces."""
    return f"trim({raw}, ' \t\r\n\u3000\u00a0')"


def unknown_to_null_expr(trimmed: str) -> str:
    """Unknown markers (``-``, ``N/A``, empty, …) become NULL; takes an already trimmed value."""
    return f"CASE WHEN {trimmed} IN ({', '.join(_lit(x) for x in NULL_TOKENS)}) THEN NULL ELSE {trimmed} END"


def normalize_expr(raw: str) -> str:
    """Trim, then unknown markers become NULL (one expression, for small queries and tests)."""
    return unknown_to_null_expr(trim_expr(raw))


def typed_expr(col: Column, n: str, fast: bool = True) -> str:
    """``n`` is the normalised text (NULL when unknown); returns the typed value or NULL. The plain-number branch
    (``fast``) comes first; ``fast=False`` is the full rule alone (tests/python/test_values.py: same values)."""
    full = _full_rule(col, n)
    plain = _plain_branch(col, n) if fast else None
    return f"CASE {plain} {full.removeprefix('CASE ')}" if plain else full


def _plain_branch(col: Column, n: str) -> str | None:
    match col.type:
        case "int":
            return f"WHEN regexp_full_match({n}, '{_PLAIN_INT}') THEN TRY_CAST({n} AS BIGINT)"
        case "decimal":
            return f"WHEN regexp_full_match({n}, '{_PLAIN_NUM}') THEN TRY_CAST({n} AS DOUBLE)"
        case "pct":
            return f"WHEN regexp_full_match({n}, '{_PLAIN_NUM}%') THEN round(TRY_CAST(rtrim({n}, '%') AS DOUBLE) / 100, 12)"
        case "money":
            return f"WHEN regexp_full_match({n}, '{_PLAIN_NUM}') THEN TRY_CAST({n} AS DECIMAL(18,4))"
    return None


def _full_rule(col: Column, n: str) -> str:
    match col.type:
        case "text":
            return n
        case "int":
            return (
                f"CASE WHEN regexp_full_match({n}, '{_INT}') "
                f"THEN TRY_CAST(regexp_replace(replace({n}, ',', ''), '\\.0+$', '') AS BIGINT) END"
            )
        case "decimal":
            return f"CASE WHEN regexp_full_match({n}, '{_NUM}') THEN TRY_CAST(replace({n}, ',', '') AS DOUBLE) END"
        case "pct":
            body = f"rtrim(rtrim({n}, '%'), ' ')"
            return (
                f"CASE WHEN regexp_full_match({n}, '{_NUM}\\s*%') "
                f"THEN round(TRY_CAST(replace({body}, ',', '') AS DOUBLE) / 100, 12) "
                f"WHEN regexp_full_match({n}, '{_NUM}') THEN TRY_CAST(replace({n}, ',', '') AS DOUBLE) END"
            )
        case "money":
            num = money_number(n)
            return f"CASE WHEN regexp_full_match({num}, '{_NUM}') THEN TRY_CAST(replace({num}, ',', '') AS DECIMAL(18,4)) END"
        case "bool":
            u = f"upper({n})"
            return f"CASE WHEN {u} IN ({', '.join(map(_lit, TRUE_TOKENS))}) THEN true WHEN {u} IN ({', '.join(map(_lit, FALSE_TOKENS))}) THEN false END"
        case "date":
            s = f"regexp_replace({n}, '[/.]', '-', 'g')"
            return f"CAST(try_strptime({s}, {_list(DATE_FORMATS)}) AS DATE)"
        case "timestamp":
            s = f"regexp_replace({n}, '^(\\d{{4}})[/.](\\d{{1,2}})[/.](\\d{{1,2}})', '\\1-\\2-\\3')"
            return f"try_strptime({s}, {_list(TS_FORMATS)})"
    raise ValueError(col.type)


def money_number(n: str) -> str:
    return (
        f"trim(regexp_replace(regexp_replace({n}, '^{_CURRENCY_PREFIX}\\s*', ''), "
        f"'\\s*{_CURRENCY_SUFFIX}$', ''))"
    )


def currency_expr(col: Column, n: str) -> str:
    default = _lit(col.currency or "USD")
    return (
        f"CASE WHEN {n} IS NULL THEN NULL "
        f"WHEN regexp_matches({n}, '^(US\\s*\\$|USD|\\$)|(USD|美元)$') THEN 'USD' "
        f"WHEN regexp_matches({n}, '^(¥|￥|RMB|CNY)|(CNY|RMB|元)$') THEN 'CNY' "
        f"WHEN regexp_matches({n}, '^(€|EUR)') THEN 'EUR' ELSE {default} END"
    )


def scientific_id_expr(n: str) -> str:
    """An ID that Excel turned into 1.60183E+12 has lost its digits."""
    return f"regexp_full_match({n}, '\\d+(\\.\\d+)?[eE]\\+?\\d+')"
