"""The action ledger (gscor.actions): append, mark done, Excel re-saves, validation, staging for dbt. No dbt here."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest

from gscor.actions import (
    LEDGER_COLUMNS,
    UnknownAction,
    action_id_for,
    append_actions,
    ledger_parquet,
    ledger_path,
    mark_done,
    parse_date,
    read_ledger,
    stage_ledgers,
)
from gscor.paths import Home

CREATED = dt.date(2026, 9, 21)
PERIOD_END = dt.date(2026, 9, 19)


def item(entity_id="1601800000822", **kw) -> dict:
    base = {
        "finding_id": "f" * 32,
        "rule_id": "G07",
        "entity_type": "product",
        "entity_id": entity_id,
        "entity_label": "LED Panel 60x60",
        "metric": "search_ctr",
        "value_at_creation": 0.001,
        "action_code": "OPTIMIZE_MAIN_IMAGE_TITLE",
        "action_text_zh": "重做产品「LED Panel 60x60」的主图和标题",
        "action_text_en": 'Rework the main image and title of "LED Panel 60x60"',
        "owner": "张三",
        "due_date": dt.date(2026, 9, 28),
    }
    base.update(kw)
    return base


@pytest.fixture
def h(tmp_path) -> Home:
    return Home(tmp_path / "home")


def staged(h: Home) -> list[dict]:
    con = duckdb.connect()
    try:
        rel = con.execute(f"SELECT * FROM read_parquet('{ledger_parquet(h)}') ORDER BY source_row")
        names = [d[0] for d in rel.description]
        return [dict(zip(names, r, strict=True)) for r in rel.fetchall()]
    finally:
        con.close()


def write_raw(h: Home, account: str, text: str, encoding="utf-8-sig", newline="\r\n") -> None:
    p = ledger_path(h, account)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(text.replace("\n", newline).encode(encoding))


def test_append_is_idempotent_per_open_action(h):
    first = append_actions(h, "acme", [item()], CREATED, PERIOD_END)
    again = append_actions(h, "acme", [item(), item()], CREATED + dt.timedelta(days=7), PERIOD_END)
    rows = read_ledger(h, "acme")
    assert len(rows) == 1
    assert first[0]["action_id"] == again[0]["action_id"] == again[1]["action_id"] == rows[0]["action_id"]
    assert rows[0]["action_id"] == action_id_for(
        "acme", "G07", "product", "1601800000822", "OPTIMIZE_MAIN_IMAGE_TITLE", CREATED
    )
    assert rows[0]["action_id"].startswith("act_") and len(rows[0]["action_id"]) == 14
    assert rows[0]["status"] == "open" and rows[0]["created_on"] == "2026-09-21"
    assert rows[0]["due_date"] == "2026-09-28" and rows[0]["value_at_creation"] == "0.001"
    raw = ledger_path(h, "acme").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # Excel-friendly: BOM, CRLF
    assert raw.decode("utf-8-sig").splitlines()[0] == ",".join(LEDGER_COLUMNS)
    # another entity is a new action; once the first is done, the same problem may be planned again
    append_actions(h, "acme", [item("1601800000685")], CREATED, PERIOD_END)
    assert len(read_ledger(h, "acme")) == 2
    mark_done(h, rows[0]["action_id"], dt.date(2026, 9, 24))
    later = append_actions(h, "acme", [item()], CREATED + dt.timedelta(days=14), PERIOD_END)
    assert later[0]["action_id"] != rows[0]["action_id"] and len(read_ledger(h, "acme")) == 3


def test_mark_done(h):
    (row,) = append_actions(h, "acme", [item()], CREATED, PERIOD_END)
    done = mark_done(h, row["action_id"], dt.date(2026, 9, 24))
    assert done["status"] == "done" and done["done_date"] == "2026-09-24"
    assert read_ledger(h, "acme")[0]["done_date"] == "2026-09-24"
    assert mark_done(h, row["action_id"])["done_date"] == "2026-09-24"  # no date given: keeps its date
    with pytest.raises(UnknownAction, match="act_0000000000"):
        mark_done(h, "act_0000000000")
    with pytest.raises(KeyError):  # UnknownAction is a KeyError
        mark_done(h, "act_0000000000")
    with pytest.raises(ValueError, match="before the week the action was planned for"):
        mark_done(h, row["action_id"], dt.date(2026, 9, 1))
    with pytest.raises(ValueError, match="future"):
        mark_done(h, row["action_id"], dt.date.today() + dt.timedelta(days=3))


def test_formula_like_text_is_neutralised_and_read_back(h):
    append_actions(h, "acme", [item(entity_label="=HYPERLINK(1)", action_text_en="-cut bid")], CREATED, None)
    raw = ledger_path(h, "acme").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in raw and "'-cut bid" in raw
    row = read_ledger(h, "acme")[0]
    assert row["entity_label"] == "=HYPERLINK(1)" and row["action_text_en"] == "-cut bid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-09-19", dt.date(2026, 9, 19)),
        ("2026/9/19", dt.date(2026, 9, 19)),
        ("2026/9/19 0:00", dt.date(2026, 9, 19)),
        ("2026年9月19日", dt.date(2026, 9, 19)),
        ("9/19/2026", dt.date(2026, 9, 19)),
        ("19/09/2026", dt.date(2026, 9, 19)),
        ("46284", dt.date(2026, 9, 19)),  # Excel serial day number
        ("", None),
    ],
)
def test_parse_date_as_excel_writes_it(text, expected):
    assert parse_date(text) == expected


def test_parse_date_rejects_ambiguous_and_garbage():
    with pytest.raises(ValueError, match="ambiguous"):
        parse_date("3/4/2026")
    with pytest.raises(ValueError, match="not a date"):
        parse_date("next week")
    with pytest.raises(ValueError, match="not a valid date"):
        parse_date("2026-02-30")


def test_excel_resaved_ledger_reads_and_stages(h):
    """Excel re-saved: no BOM / GB18030 code page, slash dates, Chinese status, a column the user added."""
    (row,) = append_actions(h, "acme", [item()], CREATED, PERIOD_END)
    header = ",".join(LEDGER_COLUMNS) + ",我的备注"
    cells = [row[c] for c in LEDGER_COLUMNS]
    cells[LEDGER_COLUMNS.index("created_on")] = "2026/9/21"
    cells[LEDGER_COLUMNS.index("due_date")] = "2026/9/28"
    cells[LEDGER_COLUMNS.index("status")] = "已完成"
    cells[LEDGER_COLUMNS.index("done_date")] = "2026/9/24"
    cells[LEDGER_COLUMNS.index("action_text_zh")] = '"重做产品「LED Panel 60x60」的主图, 和标题"'
    for encoding in ("utf-8", "utf-8-sig", "gb18030"):
        write_raw(h, "acme", header + "\n" + ",".join(cells) + ",老板说先做这个\n,,,,\n", encoding=encoding)
        (back,) = read_ledger(h, "acme")
        assert (
            back["status"] == "done"
            and back["done_date"] == "2026-09-24"
            and back["created_on"] == "2026-09-21"
        )
        assert back["我的备注"] == "老板说先做这个"
        assert back["action_text_zh"] == "重做产品「LED Panel 60x60」的主图, 和标题"
        assert stage_ledgers(h, today=dt.date(2026, 10, 1)) == []
        (s,) = staged(h)
        assert s["status"] == "done" and s["done_date"] == dt.date(2026, 9, 24) and s["source_row"] == 2
        assert s["value_at_creation"] == pytest.approx(0.001) and s["account_id"] == "acme"
    # rewriting (mark_done) keeps the user's column
    mark_done(h, row["action_id"], dt.date(2026, 9, 25))
    text = ledger_path(h, "acme").read_text(encoding="utf-8-sig")
    assert "我的备注" in text and "老板说先做这个" in text and "2026-09-25" in text


def test_bad_rows_are_quarantined_with_file_row_and_column(h):
    rows = append_actions(h, "acme", [item(), item("1601800000685"), item("1601800000959")], CREATED, None)
    good, bad_date, bad_status = rows
    text = ledger_path(h, "acme").read_bytes().decode("utf-8-sig")
    text = text.replace(
        f"{bad_date['action_id']},acme,2026-09-21", f"{bad_date['action_id']},acme,next Monday"
    )
    lines = text.split("\r\n")
    lines[3] = lines[3].replace(",open,", ",finished-ish,")
    ledger_path(h, "acme").write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    problems = stage_ledgers(h, today=dt.date(2026, 10, 1))
    assert any(
        p.startswith("data/actions/acme.csv row 3, column created_on:") and "next Monday" in p
        for p in problems
    )
    assert any(
        p.startswith("data/actions/acme.csv row 4, column status:") and "finished-ish" in p for p in problems
    )
    assert [s["action_id"] for s in staged(h)] == [
        good["action_id"]
    ]  # the good row still reaches the warehouse
    (qdir,) = (h.quarantine / "_actions").iterdir()
    reason = json.loads((qdir / "reason.json").read_text(encoding="utf-8"))
    assert {(p["row"], p["column"]) for p in reason["problems"]} == {(3, "created_on"), (4, "status")}
    assert (qdir / "acme.bad_rows.csv").exists()
    assert len(read_ledger(h, "acme")) == 3  # the user's file is left alone: the rows wait there to be fixed
    stage_ledgers(h, today=dt.date(2026, 10, 1))  # a rebuild does not pile up copies
    assert len(list((h.quarantine / "_actions").iterdir())) == 1
    assert bad_status["action_id"] not in {s["action_id"] for s in staged(h)}


def test_inconsistent_rows_and_whole_file_problems(h):
    header = ",".join(LEDGER_COLUMNS)

    def line(**kw):
        r = {c: "" for c in LEDGER_COLUMNS}
        r.update(
            {
                "created_on": "2026-09-21",
                "entity_type": "product",
                "entity_id": "1601800000822",
                "status": "open",
            }
        )
        r.update(kw)
        return ",".join(r[c] for c in LEDGER_COLUMNS)

    write_raw(
        h,
        "acme",
        "\n".join(
            [
                header,
                line(action_id="act_000000000a", status="done"),  # done without a date
                line(action_id="act_000000000b", done_date="2026-09-22"),  # open with a date
                line(
                    action_id="act_000000000c", status="done", done_date="2026-09-01"
                ),  # done before created (no report week)
                line(action_id="act_000000000d", entity_id="1.6018E+12"),  # Excel ate the product id
                line(action_id="act_000000000e", entity_type="warehouse"),
                line(action_id="act_000000000f", account_id="other"),
                line(action_id="act_0000000009"),
                line(action_id="act_0000000009"),  # duplicate id
                line(rule_id="G07", action_code="X"),  # typed in by hand, no id: derived
            ]
        ),
    )
    write_raw(h, "broken", "hello,world\n1,2\n")
    problems = stage_ledgers(h, today=dt.date(2026, 10, 1))
    where = {
        (p.split(" row ")[1].split(",")[0], p.split("column ")[1].split(":")[0])
        for p in problems
        if " row " in p
    }
    assert where >= {
        ("2", "done_date"),
        ("3", "done_date"),
        ("4", "done_date"),
        ("5", "entity_id"),
        ("6", "entity_type"),
        ("7", "account_id"),
        ("9", "action_id"),
    }
    assert any(p.startswith("data/actions/broken.csv:") and "action_id" in p for p in problems)
    ids = [s["action_id"] for s in staged(h)]
    assert ids == [
        "act_0000000009",
        action_id_for("acme", "G07", "product", "1601800000822", "X", dt.date(2026, 9, 21)),
    ]


def test_stage_without_ledgers_writes_an_empty_typed_parquet(h):
    assert stage_ledgers(h) == []
    target = ledger_parquet(h)
    assert target == h.landing / "_actions" / "ledger.parquet" and target.exists()
    con = duckdb.connect()
    try:
        assert con.execute(f"SELECT count(*) FROM read_parquet('{target}')").fetchone()[0] == 0
        types = dict(
            con.execute(
                f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{target}')"
            ).fetchall()
        )
    finally:
        con.close()
    assert list(types)[: len(LEDGER_COLUMNS)] == LEDGER_COLUMNS
    assert (
        types["created_on"] == "DATE"
        and types["done_date"] == "DATE"
        and types["value_at_creation"] == "DOUBLE"
    )
    assert types["source_row"] == "INTEGER" and types["status"] == "VARCHAR"
    assert [p.name for p in target.parent.iterdir()] == ["ledger.parquet"]  # written through a temp name
