"""Staging the ledgers for dbt: validate every row, write the typed Parquet, quarantine the bad rows."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
from pathlib import Path

from ..errors import LedgerFileError
from ..ingest.coerce import sql_literal
from ..paths import Home
from .ledger import ledger_parquet, read_table
from .parsing import action_id_for, earliest_done, neutralise, parse_date, parse_number, parse_status
from .schema import (
    ACTION_ID_RE,
    DATE_COLUMNS,
    ENTITY_TYPES,
    ID_RE,
    LEDGER_COLUMNS,
    PARQUET_COLUMNS,
    PARQUET_TYPES,
    SCI_RE,
)


def _validate(rec: dict, account_id: str, today: dt.date) -> tuple[dict, list[tuple[str, str]]]:
    """(typed record, [(column, message)]) of one ledger row."""
    errors: list[tuple[str, str]] = []
    out: dict = {c: (rec.get(c) or "").strip() or None for c in LEDGER_COLUMNS}
    for c in DATE_COLUMNS:
        try:
            out[c] = parse_date(rec.get(c))
        except ValueError as exc:
            errors.append((c, str(exc)))
            out[c] = None
    try:
        out["value_at_creation"] = parse_number(rec.get("value_at_creation"))
    except ValueError as exc:
        errors.append(("value_at_creation", str(exc)))
    status = None
    try:
        status = out["status"] = parse_status(rec.get("status"))
    except ValueError as exc:
        errors.append(("status", str(exc)))
    if out["account_id"] is None:
        out["account_id"] = account_id
    elif out["account_id"] != account_id:
        errors.append(("account_id", f"{out['account_id']!r} is not this ledger's account ({account_id})"))
    if out["created_on"] is None and not any(c == "created_on" for c, _ in errors):
        errors.append(("created_on", "created_on is empty"))
    et = (out["entity_type"] or "").lower()
    if not et:
        errors.append(("entity_type", f"entity_type is empty: one of {', '.join(ENTITY_TYPES)}"))
    elif et not in ENTITY_TYPES:
        errors.append(
            ("entity_type", f"{out['entity_type']!r} is not an entity type: one of {', '.join(ENTITY_TYPES)}")
        )
    out["entity_type"] = et or None
    eid = out["entity_id"]
    if not eid:
        errors.append(("entity_id", "entity_id is empty (write 'store' for the whole store)"))
    elif SCI_RE.match(eid):
        errors.append(
            (
                "entity_id",
                f"{eid!r}: Excel turned the id into a number; format the column as Text and restore the full id",
            )
        )
    done = out["done_date"]
    if status == "done" and done is None and not any(c == "done_date" for c, _ in errors):
        errors.append(("done_date", "status is done but done_date is empty"))
    if status == "open" and done is not None:
        errors.append(
            ("done_date", f"done_date {done} is set but status is open: set status to done or clear it")
        )
    if done is not None and done > today:
        errors.append(("done_date", f"done_date {done} is in the future"))
    earliest = earliest_done(out["created_on"], out["report_period_end"])
    if done is not None and earliest is not None and done < earliest:
        errors.append(
            ("done_date", f"done_date {done} is before the week the action was planned for ({earliest})")
        )
    if out["metric"]:
        out["metric"] = out["metric"].lower()
    if out["action_id"] and not ACTION_ID_RE.match(out["action_id"]):
        errors.append(
            (
                "action_id",
                f"{out['action_id']!r} is not an action id (act_ and 10 hex digits, as the report writes "
                "them): clear the cell and the next build derives the id from the row",
            )
        )
    if not out["action_id"] and out["created_on"] is not None and eid:
        # a row the user typed in without an id: derive it the way the report would have
        out["action_id"] = action_id_for(
            out["account_id"], out["rule_id"], et, eid, out["action_code"], out["created_on"]
        )
    return out, errors


def check_rows(
    rows: list[tuple[int, dict]], account_id: str, today: dt.date, seen: dict[str, str], rel: str
) -> tuple[list[tuple[int, dict, dict]], list[tuple[int, dict, list]]]:
    """Split a ledger's rows into good ``(row, record, typed)`` and bad ``(row, record, [(column, message)])``;
    ``seen`` (action id -> where) spans the ledgers checked so far, so an id used twice is caught."""
    good, bad = [], []
    for row_no, rec in rows:
        typed, errors = _validate(rec, account_id, today)
        aid = typed["action_id"]
        if not errors and aid in seen:
            errors.append(("action_id", f"{aid} is already used by {seen[aid]}"))
        if errors:
            bad.append((row_no, rec, errors))
            continue
        seen[aid] = f"{rel} row {row_no}"
        good.append((row_no, rec, typed))
    return good, bad


def _quarantine(
    h: Home,
    path: Path,
    account_id: str,
    header: list[str] | None,
    bad: list[tuple[int, dict, list]],
    whole: str | None,
) -> Path:
    """Copy bad rows (or the whole file) aside with a reason.json; named by content so rebuilds do not pile up."""
    if whole is not None:
        payload = path.read_bytes()
        problems = [{"row": None, "column": None, "message": whole}]
    else:
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\r\n")
        cols = [*(header or LEDGER_COLUMNS), "source_row"]
        w.writerow(cols)
        for row_no, rec, _ in bad:
            w.writerow([neutralise(rec.get(c, "")) for c in cols[:-1]] + [row_no])
        payload = b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")
        problems = [{"row": n, "column": c, "message": m} for n, _, errs in bad for c, m in errs]
    digest = hashlib.sha256(payload).hexdigest()[:12]
    qdir = h.quarantine / "_actions" / f"{account_id}-{digest}"
    qdir.mkdir(parents=True, exist_ok=True)
    (qdir / (path.name if whole is not None else f"{path.stem}.bad_rows.csv")).write_bytes(payload)
    reason = {
        "file": str(path),
        "account_id": account_id,
        "kind": "action_ledger",
        "whole_file": whole is not None,
        "problems": problems,
        "quarantined_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }
    (qdir / "reason.json").write_text(json.dumps(reason, ensure_ascii=False, indent=2), encoding="utf-8")
    return qdir


_ARROW_TYPES = {"VARCHAR": "string", "DATE": "date32", "DOUBLE": "float64", "INTEGER": "int32"}


def _arrow_table(records: list[dict]):
    """The typed records as one Arrow table, column by column (PARQUET_TYPES), for a single INSERT."""
    import pyarrow as pa

    def arrow_type(sql: str):
        return pa.timestamp("us") if sql == "TIMESTAMP" else getattr(pa, _ARROW_TYPES[sql])()

    return pa.table(
        {c: pa.array([r.get(c) for r in records], type=arrow_type(PARQUET_TYPES[c])) for c in PARQUET_COLUMNS}
    )


def stage_ledgers(home: Home, today: dt.date | None = None) -> list[str]:
    """Validate every ledger and write the good rows to ``<landing>/_actions/ledger.parquet`` (atomically;
    always, an empty typed file when there is none). Returns the problems, one line each, naming the file,
    the spreadsheet row and the column; the bad rows are copied to the quarantine and left out."""
    import duckdb

    today = today or dt.date.today()
    staged_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    problems: list[str] = []
    records: list[dict] = []
    seen: dict[str, str] = {}
    d = home.actions
    files = sorted(p for p in d.glob("*.csv") if not p.name.startswith((".", "~$"))) if d.exists() else []
    for path in files:
        rel = path.relative_to(home.root).as_posix() if path.is_relative_to(home.root) else str(path)
        account_id = path.stem
        if not ID_RE.match(account_id):
            problems.append(f"{rel}: the file name is not an account id (<account_id>.csv); file skipped")
            continue
        try:
            header, rows = read_table(path)
        except (LedgerFileError, csv.Error, OSError) as exc:
            qdir = _quarantine(home, path, account_id, None, [], str(exc))
            problems.append(f"{rel}: {exc}; whole file left out (copy in {qdir.relative_to(home.root)})")
            continue
        good, bad = check_rows(rows, account_id, today, seen, rel)
        for row_no, _, errors in bad:
            problems += [f"{rel} row {row_no}, column {col}: {msg}" for col, msg in errors]
        for row_no, _, typed in good:
            typed.update(source_file=rel, source_row=row_no, staged_at=staged_at)
            records.append(typed)
        if bad:
            qdir = _quarantine(home, path, account_id, header, bad, None)
            problems.append(
                f"{rel}: {len(bad)} row(s) left out of the warehouse until fixed (copy in {qdir.relative_to(home.root)})"
            )
    target = ledger_parquet(home)
    target.parent.mkdir(parents=True, exist_ok=True)
    # not named like the ingester's temp files (``.*.tmp-*``, which an ingest sweeps from the landing zone)
    for stale in target.parent.glob(f"{target.name}.staging-*"):  # left by a crash (builds hold the lock)
        stale.unlink(missing_ok=True)
    tmp = target.with_name(f"{target.name}.staging-{os.getpid()}")
    arrow = _arrow_table(records)  # one bulk insert, not one statement per row (200k rows: ~1.1 ms each)
    con = duckdb.connect()
    try:
        cols = ", ".join(f"{c} {PARQUET_TYPES[c]}" for c in PARQUET_COLUMNS)
        con.execute(f"CREATE TABLE ledger ({cols})")
        con.register("staged_rows", arrow)
        con.execute(f"INSERT INTO ledger SELECT {', '.join(PARQUET_COLUMNS)} FROM staged_rows")
        con.execute(
            f"COPY (SELECT * FROM ledger ORDER BY account_id, source_row) TO {sql_literal(str(tmp))} (FORMAT parquet)"
        )
    finally:
        con.close()
    os.replace(tmp, target)
    return problems
