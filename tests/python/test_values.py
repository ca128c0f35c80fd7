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


# cells of every shape: the plain-number branch must give exactly what the full rule gives
CORPUS = [
    *(
        [
            "0",
            "7",
            "-3",
            "+4",
            "007",
            "-0",
            "+0",
            "12345",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
        ]
    ),
    *(
        [
            "1.5",
            "-2.25",
            "0.0",
            "1.0",
            "12.000",
            ".5",
            "5.",
            "1e3",
            "1E-2",
            "1,234",
            "12,34",
            "1,234.5",
            "+-1",
            "--1",
            "1-2",
            "1+",
            "+",
            "0x10",
            "1_000",
        ]
    ),
    *(
        [
            "1.62%",
            "0%",
            "100%",
            "-3.5%",
            "2.5%",
            "1,234.5%",
            ".5%",
            "5.%",
            "1e2%",
            "%5",
            "12%%",
            "abc",
            "١٢",
            "１２",
            "12.5.1",
        ]
    ),
    "2.5 %",
    *(
        [
            "$12.50",
            "US$12.50",
            "¥80",
            "￥80",
            "12.50USD",
            "80元",
            "€3",
            "RMB",
            "5",
            "99999999999999.99999",
            "123456789012345678",
        ]
    ),
]


@pytest.mark.parametrize("kind", ["int", "decimal", "pct", "money"])
def test_plain_number_branch_changes_no_value(kind):
    col = Column(name="x", type=kind, aliases=())
    con = duckdb.connect()
    con.execute("CREATE TABLE c (n VARCHAR)")
    con.executemany("INSERT INTO c VALUES (?)", [[v] for v in CORPUS])
    fast, full = coerce.typed_expr(col, "n"), coerce.typed_expr(col, "n", fast=False)
    assert fast != full
    differ = con.execute(
        f"SELECT n, {fast}, {full} FROM c WHERE ({fast}) IS DISTINCT FROM ({full})"
    ).fetchall()
    assert differ == []
    assert con.execute(f"SELECT count(*) FROM c WHERE ({fast}) IS NOT NULL").fetchone()[0] >= 5
