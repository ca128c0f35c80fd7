"""The ledger's columns, vocabularies and staged Parquet types: the one definition of the ledger's shape.

``LEDGER_COLUMNS`` is the CSV header (and the first columns of the staged Parquet dbt's source
``actions.ledger`` reads); ``ITEM_COLUMNS`` are the ones an action-plan item hands to
:func:`gscor.actions.append_actions` (gscor.report.plan builds its items from it).
"""

from __future__ import annotations

import re
from pathlib import Path

LEDGER_COLUMNS = [
    "action_id",
    "account_id",
    "created_on",
    "report_period_end",
    "finding_id",
    "rule_id",
    "entity_type",
    "entity_id",
    "entity_label",
    "metric",
    "value_at_creation",
    "action_code",
    "action_text_zh",
    "action_text_en",
    "owner",
    "due_date",
    "status",
    "done_date",
    "note",
]
# The plan sheet (the report's action_plan.csv): the ledger's columns, in the ledger's order, under bilingual
# headers a team reads, so its rows can be pasted into the ledger as they are and the ledger reads the sheet
# itself (either half of a header, or the whole, names the column).
SHEET_HEADERS = {
    "action_id": "编号 / ID",
    "account_id": "账号 / Account",
    "created_on": "创建日期 / Created on",
    "report_period_end": "报告周结束 / Report week end",
    "finding_id": "发现编号 / Finding ID",
    "rule_id": "规则 / Rule",
    "entity_type": "对象类型 / Object type",
    "entity_id": "产品或关键词ID / Product or keyword ID",
    "entity_label": "对象名称 / Name",
    "metric": "目标指标 / Target metric",
    "value_at_creation": "创建时数值 / Value at creation",
    "action_code": "行动代码 / Action code",
    "action_text_zh": "行动（中文） / Action (Chinese)",
    "action_text_en": "行动（英文） / Action (English)",
    "owner": "负责人 / Owner",
    "due_date": "截止日期 / Due date",
    "status": "状态 / Status",
    "done_date": "完成日期 / Done date",
    "note": "备注 / Note",
}


def _header_aliases() -> dict[str, str]:
    out: dict[str, str] = {}
    for column, header in SHEET_HEADERS.items():
        for name in (header, *header.split(" / ")):
            out[name.strip().lower().replace(" ", "_")] = column
    return out


HEADER_ALIASES = _header_aliases()
ITEM_COLUMNS = LEDGER_COLUMNS[LEDGER_COLUMNS.index("finding_id") : LEDGER_COLUMNS.index("due_date") + 1]
DATE_COLUMNS = ("created_on", "report_period_end", "due_date", "done_date")
NUMBER_COLUMNS = ("value_at_creation",)
# Columns a ledger must have in its header (the others may be missing: they read as empty).
REQUIRED_HEADER = ("action_id", "created_on", "entity_type", "entity_id", "status")
STATUSES = ("open", "done", "dropped")
STATUS_WORDS = {
    "open": "open",
    "todo": "open",
    "to do": "open",
    "pending": "open",
    "in progress": "open",
    "待办": "open",
    "未完成": "open",
    "进行中": "open",
    "待处理": "open",
    "done": "done",
    "completed": "done",
    "complete": "done",
    "finished": "done",
    "完成": "done",
    "已完成": "done",
    "已做": "done",
    "dropped": "dropped",
    "drop": "dropped",
    "cancelled": "dropped",
    "canceled": "dropped",
    "放弃": "dropped",
    "已放弃": "dropped",
    "取消": "dropped",
    "已取消": "dropped",
}
ENTITY_TYPES = (
    "store",
    "product",
    "keyword",
    "p4p_keyword",
    "channel",
    "customer",
    "inquiry_source",
    "country",
    "ab_test",
    "buyer",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Look-alikes a spreadsheet (or an IME's full-width input) may also take for the start of a formula: every
# character whose NFKC form is one of = + - @ (full-width ＝＋－＠, small ﹦﹢﹣﹫, super/subscript ⁼⁺⁻₌₊₋)
# and the Unicode minus and plus signs and hyphens NFKC leaves alone.
FORMULA_LOOKALIKES = frozenset("\u2010\u2011\u2012\u2212\u2795\u2796\u2797\u2213\u2214\u02d7")
LEDGER_PARQUET = Path("_actions") / "ledger.parquet"
PARQUET_TYPES = {
    **{c: "VARCHAR" for c in LEDGER_COLUMNS},
    **{c: "DATE" for c in DATE_COLUMNS},
    "value_at_creation": "DOUBLE",
    "source_file": "VARCHAR",
    "source_row": "INTEGER",
    "staged_at": "TIMESTAMP",
}
PARQUET_COLUMNS = [*LEDGER_COLUMNS, "source_file", "source_row", "staged_at"]
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")  # .match: \Z, as $ lets a trailing newline pass
# what the report writes (and findings.schema.json requires); an empty cell is derived from the row
ACTION_ID_RE = re.compile(r"act_[0-9a-f]{10}\Z")
SCI_RE = re.compile(r"^[0-9](?:\.[0-9]+)?E\+?[0-9]+$", re.IGNORECASE)
