"""Number / date formatting shared by the HTML, Markdown and chart writers (plain strings, not escaped)."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

# Metric / column names that hold a fraction (0.123 = 12.3%): a name with one of these words.
_RATE_WORDS = {"ctr", "rate", "share", "pct", "lift", "utilisation", "roas"}
_RATE_SUFFIXES = ("_change", "_rel")
_NOT_RATE = ("rate_to_", "fx_rate", "_rank")


def is_rate(name: str | None, unit: str | None = None) -> bool:
    if unit is not None:
        return unit in ("pct", "rate", "share", "ratio_pct")
    if not name:
        return False
    name = name.lower()
    if any(n in name for n in _NOT_RATE) or name == "roas":
        return False
    return bool(_RATE_WORDS & set(name.split("_"))) or name.endswith(_RATE_SUFFIXES)


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def num(v: Any, decimals: int | None = None) -> str:
    if v is None:
        return "–"
    if not _finite(v):
        return str(v)
    if decimals is None:
        decimals = 0 if float(v).is_integer() or abs(v) >= 100 else 2
    return f"{v:,.{decimals}f}"


def pct(v: Any, decimals: int | None = None) -> str:
    if v is None:
        return "–"
    if not _finite(v):
        return str(v)
    if decimals is None:
        decimals = 2 if abs(v) < 0.01 else 1
    return f"{100 * v:.{decimals}f}%"


def signed_pct(v: Any) -> str:
    if not _finite(v):
        return "–"
    return ("+" if v > 0 else "") + pct(v)


def money(v: Any, currency: str = "USD") -> str:
    if not _finite(v):
        return "–"
    return f"{currency} {v:,.0f}" if abs(v) >= 100 else f"{currency} {v:,.2f}"


def metric_value(metric: str | None, v: Any, unit: str | None = None) -> str:
    if v is None:
        return "–"
    if is_rate(metric, unit):
        return pct(v)
    return num(v)


def date(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


# Columns whose unit is given per row by a ``unit`` column (fct_peer_benchmark).
UNIT_VALUE_COLUMNS = {"my_value", "peer_avg", "peer_top", "gap_to_average", "gap_to_top"}


def is_plain_number(column: str) -> bool:
    """Years and ids are labels, never thousands-separated (2026, not 2,026)."""
    c = column.lower()
    return c in ("year", "id", "rank") or c.endswith(("_year", "_id", "_code", "_rank"))


def cell(column: str, v: Any, row: dict | None = None) -> str:
    """A generic table cell, formatted by its column name (and the row's ``unit`` where it has one)."""
    if row is not None and column in UNIT_VALUE_COLUMNS and row.get("unit") and _finite(v):
        return pct(v) if is_rate(None, row["unit"]) else num(v)
    if v is None:
        return "–"
    if isinstance(v, bool):
        return "✓" if v else "✗"
    if isinstance(v, dt.date | dt.datetime):
        return date(v)
    if _finite(v):
        if is_plain_number(column) and float(v).is_integer():
            return str(int(v))
        if is_rate(column):
            return pct(v)
        if column in ("p_value", "max_p_value", "alpha"):
            return "<0.0001" if 0 <= v < 0.0001 else f"{v:.4f}"
        return num(v)
    return truncate(str(v), 60)


def truncate(text: str, n: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 1] + "…"
