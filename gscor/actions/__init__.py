"""The action ledger: what the team was told to do, and what it did.

One CSV per store, ``<home>/data/actions/<account_id>.csv`` (UTF-8 with BOM, so Excel opens the Chinese
texts correctly; columns :data:`LEDGER_COLUMNS`). The report appends the week's actions (status ``open``);
the user sets ``status`` to ``done`` (or ``dropped``) and the ``done_date`` by editing the file in Excel or
with ``gscor action done ACTION_ID [--date]`` (:func:`mark_done`), or in the week's plan sheet (the report's
``action_plan.csv``: the ledger's columns under bilingual headers), whose rows paste into the ledger as they
are and which :func:`update_from_sheet` reads back into the ledger.

Excel is a hostile editor, so reading is tolerant: a BOM or not, CRLF, a file re-saved as "CSV (逗号分隔)"
in the Windows code page (GB18030), ``;``/tab separators, dates as ``2026-09-19``, ``2026/9/19``,
``2026年9月19日``, ``9/19/2026`` when unambiguous, an Excel serial day number, or with a ``0:00`` time, status
words in Chinese (已完成, 放弃 …), extra columns a user added, cells under an empty header or beyond the last one (kept byte for byte on rewrite), a leading ``'`` that the
writer put in front of text starting with ``= + - @`` (formula injection guard) removed.

:func:`stage_ledgers` runs before every dbt build (gscor.warehouse): it validates every ledger, writes the
good rows as typed Parquet to ``<landing>/_actions/ledger.parquet`` (always, an empty typed file when there
is no ledger), and copies the bad rows aside to ``<quarantine>/_actions/<account>-<hash>/`` with a
``reason.json``; each problem names the file, the spreadsheet row and the column. A bad row never stops the
build and is never deleted from the user's ledger: it stays there to be fixed and is left out of the
warehouse until it is.
"""

from __future__ import annotations

from ..errors import LedgerFileError, UnknownAction
from .ledger import (
    append_actions,
    checked_ledger,
    ledger_parquet,
    ledger_path,
    mark_done,
    read_ledger,
    update_from_sheet,
)
from .parsing import action_id_for, parse_date, parse_number, parse_status
from .schema import (
    DATE_COLUMNS,
    ENTITY_TYPES,
    ITEM_COLUMNS,
    LEDGER_COLUMNS,
    PARQUET_COLUMNS,
    PARQUET_TYPES,
    SHEET_HEADERS,
    STATUSES,
)
from .staging import stage_ledgers

__all__ = [
    "DATE_COLUMNS",
    "ENTITY_TYPES",
    "ITEM_COLUMNS",
    "LEDGER_COLUMNS",
    "PARQUET_COLUMNS",
    "PARQUET_TYPES",
    "SHEET_HEADERS",
    "STATUSES",
    "LedgerFileError",
    "UnknownAction",
    "action_id_for",
    "append_actions",
    "checked_ledger",
    "ledger_parquet",
    "ledger_path",
    "mark_done",
    "parse_date",
    "parse_number",
    "parse_status",
    "read_ledger",
    "stage_ledgers",
    "update_from_sheet",
]
