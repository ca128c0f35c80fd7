"""The action ledger: what the team was told to do, and what it did.

One CSV per store, ``<home>/data/actions/<account_id>.csv`` (UTF-8 with BOM, so Excel opens the Chinese
texts correctly; columns :data:`LEDGER_COLUMNS`). The report appends the week's actions (status ``open``);
the user sets ``status`` to ``done`` (or ``dropped``) and the ``done_date`` by editing the file in Excel or
with ``gscor action done ACTION_ID [--date]`` (:func:`mark_done`).

Excel is a hostile editor, so reading is tolerant: a BOM or not, CRLF, a file re-saved as "CSV (逗号分隔)"
in the Windows code page (GB18030), ``;``/tab separators, dates as ``2026-09-19``, ``2026/9/19``,
``2026年9月19日``, ``9/19/2026`` when unambiguous, an Excel serial day number, or with a ``0:00`` time, status
words in Chinese (已完成, 放弃 …), extra columns a user added (kept on rewrite), a leading ``'`` that the
writer put in front of text starting with ``= + - @`` (formula injection guard) removed.

:func:`stage_ledgers` runs before every dbt build (gscor.warehouse): it validates every ledger, writes the
good rows as typed Parquet to ``<landing>/_actions/ledger.parquet`` (always, an empty typed file when there
is no ledger), and copies the bad rows aside to ``<quarantine>/_actions/<account>-<hash>/`` with a
``reason.json``; each problem names the file, the spreadsheet row and the column. A bad row never stops the
build and is never deleted from the user's ledger: it stays there to be fixed and is left out of the
warehouse until it is.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import io
import json
import os
import re
from pathlib import Path

from .paths import Home

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
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SCI_RE = re.compile(r"^[0-9](?:\.[0-9]+)?E\+?[0-9]+$", re.IGNORECASE)


class UnknownAction(KeyError):
    """No ledger of the home has this action id."""

    def __str__(self) -> str:  # KeyError's own str() is the repr of its argument
        return str(self.args[0]) if self.args else "unknown action"


class LedgerFileError(ValueError):
    """A ledger file that cannot be read as a whole (encoding, header)."""


# -- paths -----------------------------------------------------------------------------------------------------


def _home(home: Home | str | os.PathLike | None) -> Home:
    return home if isinstance(home, Home) else Home.resolve(home)


def actions_dir(home: Home | str | os.PathLike | None) -> Path:
    return _home(home).actions


def ledger_path(home: Home | str | os.PathLike | None, account_id: str) -> Path:
    """``<home>/data/actions/<account_id>.csv``."""
    if not account_id or not _ID_RE.match(account_id):
        raise ValueError(f"not an account id: {account_id!r}")
    return actions_dir(home) / f"{account_id}.csv"


def ledger_parquet(home: Home | str | os.PathLike | None) -> Path:
    """``<landing>/_actions/ledger.parquet``: what dbt's source ``actions.ledger`` reads."""
    return _home(home).landing / LEDGER_PARQUET


def _earliest_done(created_on, report_period_end) -> dt.date | None:
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


# -- tolerant parsing ------------------------------------------------------------------------------------------


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


def _neutralise(value: str) -> str:
    """Excel must not run a cell that starts like a formula: prefix it with ``'`` (stripped on read)."""
    return "'" + value if value and value.startswith(FORMULA_START) else value


def _unneutralise(value: str) -> str:
    return value[1:] if len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r" else value


def _fmt_number(v) -> str:
    if v is None or v == "":
        return ""
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def _fmt_date(v) -> str:
    if v is None or v == "":
        return ""
    return v.isoformat() if isinstance(v, dt.date) else str(v)


# -- reading and writing ---------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):  # Excel "CSV (逗号分隔)" on a Chinese Windows writes GB18030
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError("the file is neither UTF-8 nor GB18030 text: save it again as 'CSV UTF-8'")


def _read_table(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header as written, [(spreadsheet row number, {column: text})]) of a ledger; blank rows skipped.

    Ledger columns are matched case- and space-insensitively; other columns are kept under their own header.
    Raises LedgerFileError when the file cannot be a ledger at all.
    """
    text = _decode(path.read_bytes()).lstrip("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first:
        delimiter = ";" if ";" in first else ("\t" if "\t" in first else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows or not any(c.strip() for c in rows[0]):
        raise LedgerFileError("the file has no header row")
    header: list[str] = []
    for raw in rows[0]:
        name = raw.strip().lstrip("\ufeff")
        key = name.lower().replace(" ", "_")
        header.append(key if key in LEDGER_COLUMNS else name)
    missing = [c for c in REQUIRED_HEADER if c not in header]
    if missing:
        raise LedgerFileError(f"the header lacks column(s) {', '.join(missing)} (row 1)")
    out = []
    for i, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rec = {c: "" for c in LEDGER_COLUMNS}
        for name, cell in zip(header, cells, strict=False):
            if name:
                rec[name] = _unneutralise(cell.strip())
        out.append((i, rec))
    return header, out


def _clean(rec: dict) -> dict:
    """Normalise what can be normalised (ISO dates, canonical status); leave the rest as written."""
    out = dict(rec)
    for c in DATE_COLUMNS:
        with contextlib.suppress(ValueError):
            out[c] = _fmt_date(parse_date(out.get(c)))
    with contextlib.suppress(ValueError):
        out["status"] = parse_status(out.get("status"))
    return out


def read_ledger(home: Home | str | os.PathLike | None, account_id: str) -> list[dict]:
    """The ledger rows of one store (text values; dates as ISO and status canonical where readable).

    Columns a user added in Excel come along under their own header. Missing file: ``[]``.
    """
    path = ledger_path(home, account_id)
    if not path.exists():
        return []
    _, rows = _read_table(path)
    return [_clean(r) for _, r in rows]


def _write_ledger(path: Path, rows: list[dict]) -> None:
    extras: list[str] = []
    for r in rows:
        extras += [k for k in r if k not in LEDGER_COLUMNS and k not in extras and not k.startswith("_")]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([*LEDGER_COLUMNS, *extras])
    for r in rows:
        cells = []
        for c in [*LEDGER_COLUMNS, *extras]:
            v = r.get(c)
            if c in NUMBER_COLUMNS:
                try:
                    cells.append(_fmt_number(parse_number(v)))
                except ValueError:
                    cells.append(_neutralise(str(v)))
            else:
                cells.append(_neutralise("" if v is None else str(v)))
        w.writerow(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    os.replace(tmp, path)


@contextlib.contextmanager
def _lock(home: Home):
    d = actions_dir(home)
    d.mkdir(parents=True, exist_ok=True)
    with open(d / ".ledger.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def append_actions(
    home: Home | str | os.PathLike | None,
    account_id: str,
    items: list[dict],
    created_on: dt.date,
    report_period_end: dt.date | None,
) -> list[dict]:
    """Append the report's actions as ``open`` rows; return, per item, its ledger row (new or existing).

    ``items`` carry the ledger columns finding_id … due_date. An item whose (rule_id, entity_type, entity_id,
    action_code) already has an OPEN action is not appended again (the existing row is returned), so running
    the report twice, or on consecutive weeks while the problem persists, does not pile up duplicates.
    """
    h = _home(home)
    path = ledger_path(h, account_id)
    with _lock(h):
        rows = read_ledger(h, account_id)
        by_key = {
            (r["rule_id"], r["entity_type"], r["entity_id"], r["action_code"]): r
            for r in rows
            if r.get("status") == "open"
        }
        by_id = {r["action_id"]: r for r in rows if r.get("action_id")}
        result, added = [], False
        for item in items:
            key = tuple(
                str(item.get(c) or "").strip() for c in ("rule_id", "entity_type", "entity_id", "action_code")
            )
            if key in by_key:
                result.append(by_key[key])
                continue
            aid = action_id_for(account_id, *key, created_on)
            if aid in by_id:  # the same action was created today and already closed: do not re-open it
                result.append(by_id[aid])
                continue
            row = {c: "" for c in LEDGER_COLUMNS}
            row.update(
                action_id=aid,
                account_id=account_id,
                created_on=_fmt_date(created_on),
                report_period_end=_fmt_date(report_period_end),
                status="open",
                note=str(item.get("note") or ""),
            )
            for c in ITEM_COLUMNS:
                v = item.get(c)
                if c == "due_date":
                    row[c] = _fmt_date(parse_date(v)) if v not in (None, "") else ""
                elif c == "value_at_creation":
                    row[c] = _fmt_number(v)
                else:
                    row[c] = "" if v is None else str(v).strip()
            rows.append(row)
            by_key[key] = by_id[aid] = row
            result.append(row)
            added = True
        if added or not path.exists():
            _write_ledger(path, rows)
        return result


def mark_done(home: Home | str | os.PathLike | None, action_id: str, done_on: dt.date | None = None) -> dict:
    """Set an action's status to ``done`` and its done_date (default today; an already done action keeps its
    date unless ``done_on`` is given). Raises :class:`UnknownAction` when no ledger has the id, ValueError
    for a date in the future or before the action was created."""
    h = _home(home)
    action_id = action_id.strip()
    today = dt.date.today()
    if done_on is not None and done_on > today:
        raise ValueError(f"done date {done_on} is in the future")
    with _lock(h):
        for path in sorted(actions_dir(h).glob("*.csv")):
            if path.name.startswith((".", "~$")):
                continue
            rows = read_ledger(h, path.stem)
            for row in rows:
                if row.get("action_id") != action_id:
                    continue
                earliest = _earliest_done(row.get("created_on"), row.get("report_period_end"))
                if row.get("status") == "done" and done_on is None and row.get("done_date"):
                    return row
                when = done_on or today
                if earliest and when < earliest:
                    raise ValueError(
                        f"done date {when} is before the week the action was planned for (starts {earliest})"
                    )
                row["status"] = "done"
                row["done_date"] = when.isoformat()
                _write_ledger(path, rows)
                return row
    raise UnknownAction(f"unknown action id {action_id!r}: no ledger under {actions_dir(h)} has it")


# -- staging for dbt -------------------------------------------------------------------------------------------


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
    elif _SCI_RE.match(eid):
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
    earliest = _earliest_done(out["created_on"], out["report_period_end"])
    if done is not None and earliest is not None and done < earliest:
        errors.append(
            ("done_date", f"done_date {done} is before the week the action was planned for ({earliest})")
        )
    if out["metric"]:
        out["metric"] = out["metric"].lower()
    if not out["action_id"] and out["created_on"] is not None and eid:
        # a row the user typed in without an id: derive it the way the report would have
        out["action_id"] = action_id_for(
            out["account_id"], out["rule_id"], et, eid, out["action_code"], out["created_on"]
        )
    return out, errors


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
            w.writerow([_neutralise(rec.get(c, "")) for c in cols[:-1]] + [row_no])
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


def stage_ledgers(home: Home | str | os.PathLike | None, today: dt.date | None = None) -> list[str]:
    """Validate every ledger and write the good rows to ``<landing>/_actions/ledger.parquet`` (atomically;
    always, an empty typed file when there is none). Returns the problems, one line each, naming the file,
    the spreadsheet row and the column; the bad rows are copied to the quarantine and left out."""
    import duckdb

    h = _home(home)
    today = today or dt.date.today()
    staged_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    problems: list[str] = []
    records: list[dict] = []
    seen: dict[str, str] = {}
    d = actions_dir(h)
    files = sorted(p for p in d.glob("*.csv") if not p.name.startswith((".", "~$"))) if d.exists() else []
    for path in files:
        rel = path.relative_to(h.root).as_posix() if path.is_relative_to(h.root) else str(path)
        account_id = path.stem
        if not _ID_RE.match(account_id):
            problems.append(f"{rel}: the file name is not an account id (<account_id>.csv); file skipped")
            continue
        try:
            header, rows = _read_table(path)
        except (LedgerFileError, csv.Error, OSError) as exc:
            qdir = _quarantine(h, path, account_id, None, [], str(exc))
            problems.append(f"{rel}: {exc}; whole file left out (copy in {qdir.relative_to(h.root)})")
            continue
        bad: list[tuple[int, dict, list]] = []
        for row_no, rec in rows:
            typed, errors = _validate(rec, account_id, today)
            aid = typed["action_id"]
            if not errors and aid in seen:
                errors.append(("action_id", f"{aid} is already used by {seen[aid]}"))
            if errors:
                bad.append((row_no, rec, errors))
                for col, msg in errors:
                    problems.append(f"{rel} row {row_no}, column {col}: {msg}")
                continue
            seen[aid] = f"{rel} row {row_no}"
            typed.update(source_file=rel, source_row=row_no, staged_at=staged_at)
            records.append(typed)
        if bad:
            qdir = _quarantine(h, path, account_id, header, bad, None)
            problems.append(
                f"{rel}: {len(bad)} row(s) left out of the warehouse until fixed (copy in {qdir.relative_to(h.root)})"
            )
    target = ledger_parquet(h)
    target.parent.mkdir(parents=True, exist_ok=True)
    # not named like the ingester's temp files (``.*.tmp-*``, which an ingest sweeps from the landing zone)
    for stale in target.parent.glob(f"{target.name}.staging-*"):  # left by a crash (builds hold the lock)
        stale.unlink(missing_ok=True)
    tmp = target.with_name(f"{target.name}.staging-{os.getpid()}")
    con = duckdb.connect()
    try:
        cols = ", ".join(f"{c} {PARQUET_TYPES[c]}" for c in PARQUET_COLUMNS)
        con.execute(f"CREATE TABLE ledger ({cols})")
        if records:
            con.executemany(
                f"INSERT INTO ledger VALUES ({', '.join('?' for _ in PARQUET_COLUMNS)})",
                [[r.get(c) for c in PARQUET_COLUMNS] for r in records],
            )
        con.execute(
            f"COPY (SELECT * FROM ledger ORDER BY account_id, source_row) TO '{tmp}' (FORMAT parquet)"
        )
    finally:
        con.close()
    os.replace(tmp, target)
    return problems


__all__ = [
    "LEDGER_COLUMNS",
    "STATUSES",
    "UnknownAction",
    "action_id_for",
    "append_actions",
    "ledger_parquet",
    "ledger_path",
    "mark_done",
    "parse_date",
    "read_ledger",
    "stage_ledgers",
]
