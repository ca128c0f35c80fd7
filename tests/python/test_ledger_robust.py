"""The action ledger against a hostile user and an unlucky operator (issue 12): the user's own cells survive
every rewrite, bad rows are set aside everywhere, formula look-alikes are neutralised, staging is bulk."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil

import pytest
from test_report import ACCOUNT, NOW, make_warehouse

from gscor.actions import LEDGER_COLUMNS, append_actions, ledger_path, mark_done, read_ledger
from gscor.paths import Home
from gscor.report import build_report


@pytest.fixture(scope="module")
def wh(tmp_path_factory) -> Home:
    return make_warehouse(tmp_path_factory.mktemp("ledger-robust") / "home")


@pytest.fixture
def rh(wh, tmp_path) -> Home:
    """A home with the tiny warehouse, its own ledger."""
    home = Home(tmp_path / "home")
    shutil.copytree(wh.warehouse, home.warehouse)
    return home


def cells(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))


def user_ledger(home: Home, account: str = ACCOUNT) -> tuple[str, list[str]]:
    """A ledger with a named extra column, a cell under an empty header and cells beyond the last header;
    returns (its action id, the user's cells of that row as written: named, empty-header, beyond)."""
    aid = "act_0123456789"
    header = [*LEDGER_COLUMNS, "客户备注 Remark", ""]
    row = {c: "" for c in LEDGER_COLUMNS}
    row.update(
        action_id=aid,
        account_id=account,
        created_on="2026-09-14",
        report_period_end="2026-09-12",
        rule_id="G07",
        entity_type="product",
        entity_id="1601800000822",
        action_code="OPTIMIZE_MAIN_IMAGE_TITLE",
        action_text_en="Rework the title",
        status="open",
    )
    user = ["  电话 13800138000 ", " under an empty header\t", "beyond 1", "=beyond 2 "]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerow([row[c] for c in LEDGER_COLUMNS] + user)
    p = ledger_path(home, account)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return aid, user


def user_cells(path, aid: str) -> list[str]:
    rows = cells(path)
    n = len(LEDGER_COLUMNS)
    idx = rows[0].index("action_id")
    (row,) = [r for r in rows[1:] if r[idx] == aid]
    return [c for c in row[n:]]


# ----------------------------------------------------------------------------------- item 6


def test_action_done_keeps_cells_under_empty_and_beyond_the_header(tmp_path):
    h = Home(tmp_path / "home")
    aid, user = user_ledger(h, "acme")
    mark_done(h, aid, dt.date(2026, 9, 20))
    path = ledger_path(h, "acme")
    assert user_cells(path, aid) == user
    assert cells(path)[0][len(LEDGER_COLUMNS) :][:2] == ["客户备注 Remark", ""]
    assert read_ledger(h, "acme")[0]["status"] == "done"


def test_append_keeps_the_users_cells_byte_for_byte(tmp_path):
    h = Home(tmp_path / "home")
    aid, user = user_ledger(h, "acme")
    before = ledger_path(h, "acme").read_bytes()
    new = {
        "finding_id": "f" * 32,
        "rule_id": "G08",
        "entity_type": "store",
        "entity_id": "store",
        "action_code": "X",
    }
    append_actions(h, "acme", [new], dt.date(2026, 9, 21), dt.date(2026, 9, 19))
    path = ledger_path(h, "acme")
    assert user_cells(path, aid) == user
    rows = cells(path)
    assert len(rows) == 3
    # the user's row is the same row, byte for byte, where its ledger columns were already canonical
    assert before.split(b"\r\n")[1] == path.read_bytes().split(b"\r\n")[1]


def test_report_append_keeps_the_users_cells(rh):
    aid, user = user_ledger(rh)
    build_report(rh, ACCOUNT, out_dir=rh.root / "out", cap=3, now=NOW)
    path = ledger_path(rh, ACCOUNT)
    assert len(cells(path)) == 1 + 1 + 3
    assert user_cells(path, aid) == user
