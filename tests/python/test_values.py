"""The value rules, run through the real SQL of gscor/ingest/coerce.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from gscor.ingest import coerce
from gscor.registry import Column


def typed(kind: str, text: str | None, currency: str | None = None):
    col = Column(name="x", type=kind, aliases=(), currency=currency)
    n = coerce.normalize_expr("v")
    sql = f"SELECT {coerce.typed_expr(col, f'({n})')}"
    if kind == "money":
        sql += f", {coerce.currency_expr(col, f'({n})')}"
    row = duckdb.connect().execute(sql + " FROM (SELECT CAST($v AS VARCHAR) AS v)", {"v": text}).fetchall()[0]
    return row if kind == "money" else row[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.62%", 0.0162),
        ("0%", 0.0),
        ("100%", 1.0),
        (" 2.5 % ", 0.025),
        ("0.0162", 0.0162),
        ("-", None),
        ("", None),
    ],
)
def test_percentages(text, expected):
    assert typed("pct", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", 1234),
        ("0.0", 0),
        ("42", 42),
        ("1,234,567", 1234567),
        ("\u30007\u3000", 7),
        ("-", None),
        ("--", None),
        ("N/A", None),
        (None, None),
        ("", None),
    ],
)
def test_counts(text, expected):
    assert typed("int", text) == expected


@pytest.mark.parametrize("text", ["1,23", "4.5", "abc", "1.2.3", "12a"])
def test_counts_reject(text):
    assert typed("int", text) is None  # the loader reports these as bad_value


@pytest.mark.parametrize(
    ("text", "amount", "currency"),
    [
        ("$12.50", "12.5", "USD"),
        ("US $12.50", "12.5", "USD"),
        ("US $1,234.00", "1234", "USD"),
        ("¥80", "80", "CNY"),
        ("￥80", "80", "CNY"),
        ("12.5 USD", "12.5", "USD"),
        ("80元", "80", "CNY"),
        ("19.58", "19.58", "USD"),
    ],
)
def test_money_keeps_its_currency(text, amount, currency):
    value, cur = typed("money", text, currency="USD")
    assert value == Decimal(amount) and cur == currency


def test_money_default_currency_comes_from_the_registry():
    assert typed("money", "3.20", currency="CNY") == (Decimal("3.2"), "CNY")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Y", True), ("N", False), ("是", True), ("否", False), ("y", True), ("true", True), ("maybe", None)],
)
def test_booleans(text, expected):
    assert typed("bool", text) is expected


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("date", "2026/09/13", dt.date(2026, 9, 13)),
        ("date", "2026-09-13", dt.date(2026, 9, 13)),
        ("date", "2026-09-13 00:00:00", dt.date(2026, 9, 13)),
        ("date", "2026-13-01", None),
        ("timestamp", "2026/09/13 08:05", dt.datetime(2026, 9, 13, 8, 5)),
        ("timestamp", "2026-09-13 08:05:09", dt.datetime(2026, 9, 13, 8, 5, 9)),
        ("timestamp", "2026/9/3 8:05", dt.datetime(2026, 9, 3, 8, 5)),
        ("timestamp", "yesterday", None),
    ],
)
def test_dates_and_times(kind, text, expected):
    assert typed(kind, text) == expected


def test_text_is_trimmed_and_unknown_is_null():
    assert typed("text", "\u3000adidas ") == "adidas"
    assert typed("text", "-") is None


def test_scientific_ids_are_caught():
    sql = f"SELECT {coerce.scientific_id_expr('v')} FROM (SELECT CAST($v AS VARCHAR) AS v)"
    con = duckdb.connect()
    assert con.execute(sql, {"v": "1.60183E+12"}).fetchall()[0][0] is True
    assert con.execute(sql, {"v": "1601825074604"}).fetchall()[0][0] is False
