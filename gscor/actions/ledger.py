"""One store's ledger file: paths, reading (tolerant), writing (BOM, formula guard), append, mark done."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import io
import os
from pathlib import Path

from ..errors import ActionDateError, LedgerFileError, UnknownAction, UsageError
from ..paths import Home
from .parsing import (
    action_id_for,
    earliest_done,
    fmt_date,
    fmt_number,
    neutralise,
    parse_date,
    parse_number,
    parse_status,
    unneutralise,
)
from .schema import (
    DATE_COLUMNS,
    HEADER_ALIASES,
    ID_RE,
    ITEM_COLUMNS,
    LEDGER_COLUMNS,
    LEDGER_PARQUET,
    NUMBER_COLUMNS,
    REQUIRED_HEADER,
)


def ledger_path(home: Home, account_id: str) -> Path:
    """``<home>/data/actions/<account_id>.csv``."""
    if not account_id or not ID_RE.match(account_id):
        raise UsageError(f"not an account id: {account_id!r}")
    return home.actions / f"{account_id}.csv"


def ledger_parquet(home: Home) -> Path:
    """``<landing>/_actions/ledger.parquet``: what dbt's source ``actions.ledger`` reads."""
    return home.landing / LEDGER_PARQUET


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):  # Excel "CSV (逗号分隔)" on a Chinese Windows writes GB18030
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError("the file is neither UTF-8 nor GB18030 text: save it again as 'CSV UTF-8'")


def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header as written, [(spreadsheet row number, {column: text})]) of a ledger; blank rows skipped.

    Ledger columns are matched case- and space-insensitively, also under the plan sheet's bilingual headers
    (``编号 / ID``, ``ID``, ``状态``…); other columns are kept under their own header.
    Raises LedgerFileError when the file cannot be a ledger at all.
    """
    header, _, rows = _read_table(path)
    return header, rows


def _read_table(path: Path) -> tuple[list[str], list[str], list[tuple[int, dict]]]:
    """:func:`read_table` plus the user's own slots: every column that is not a ledger column (a named
    one, one under an empty header, and the cells beyond the last header), as its raw header text.
    Each row's raw cells in those slots (byte for byte, neither stripped nor un-neutralised) are its
    ``_extra`` list, so a rewrite puts back exactly what the user wrote."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LedgerFileError(f"the file cannot be read ({exc.strerror or exc})") from None
    text = _decode(data).lstrip("\ufeff")
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
        key = HEADER_ALIASES.get(key, key)  # the plan sheet's bilingual headers (编号 / ID …)
        header.append(key if key in LEDGER_COLUMNS else name)
    missing = [c for c in REQUIRED_HEADER if c not in header]
    if missing:
        raise LedgerFileError(f"the header lacks column(s) {', '.join(missing)} (row 1)")
    width = max(len(r) for r in rows)
    seen: set[str] = set()
    slots: list[int] = []  # positions of the user's own columns
    for i in range(width):
        name = header[i] if i < len(header) else ""
        if name in LEDGER_COLUMNS and name not in seen:
            seen.add(name)
        else:
            slots.append(i)
    extra_header = [rows[0][i] if i < len(rows[0]) else "" for i in slots]
    out = []
    for i, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        rec: dict = {c: "" for c in LEDGER_COLUMNS}
        for name, cell in zip(header, cells, strict=False):
            if name:
                rec[name] = unneutralise(cell.strip())
        rec["_extra"] = [cells[j] if j < len(cells) else "" for j in slots]
        rec["_row"] = i
        out.append((i, rec))
    return header, extra_header, out


def _clean(rec: dict) -> dict:
    """Normalise what can be normalised (ISO dates, canonical status); leave the rest as written."""
    out = dict(rec)
    for c in DATE_COLUMNS:
        with contextlib.suppress(ValueError):
            out[c] = fmt_date(parse_date(out.get(c)))
    with contextlib.suppress(ValueError):
        out["status"] = parse_status(out.get("status"))
    return out


def read_ledger(home: Home, account_id: str) -> list[dict]:
    """The ledger rows of one store (text values; dates as ISO and status canonical where readable).

    Columns a user added in Excel come along under their own header. Missing file: ``[]``.
    """
    return _load(home, account_id)[1]


def _load(home: Home, account_id: str) -> tuple[list[str], list[dict]]:
    """(the user's own header slots, the rows) of one store's ledger; missing file: ``([], [])``."""
    path = ledger_path(home, account_id)
    if not path.exists():
        return [], []
    _, extra_header, rows = _read_table(path)
    return extra_header, [_clean(r) for _, r in rows]


def _rel(home: Home, path: Path) -> str:
    return path.relative_to(home.root).as_posix() if path.is_relative_to(home.root) else str(path)


def _usable(home: Home, account_id: str, rows: list[dict]) -> tuple[list[dict], list[str]]:
    """The rows that pass every check of the build's staging, and why each other one is set aside."""
    from .staging import check_rows  # staging imports this module

    rel = _rel(home, ledger_path(home, account_id))
    good, bad = check_rows([(r.get("_row") or 0, r) for r in rows], account_id, dt.date.today(), {}, rel)
    problems = [f"{rel} row {n}, column {c}: {m}; row set aside until fixed" for n, _, e in bad for c, m in e]
    return [r for _, r, _ in good], problems


def checked_ledger(home: Home, account_id: str) -> tuple[list[dict], list[str]]:
    """(the ledger rows of one store a report may use, one line per problem): rows the build's staging
    would set aside (a typed id like ``A-1``, an unreadable date …) are left out and named; a file that
    cannot be read as a ledger gives no rows and its reason. Never raises for the file's content."""
    try:
        return _usable(home, account_id, read_ledger(home, account_id))
    except LedgerFileError as exc:
        return [], [f"{_rel(home, ledger_path(home, account_id))}: {exc}; the file is left as it is"]


def _write_ledger(path: Path, rows: list[dict], extra_header: list[str] | None = None) -> None:
    """Write the ledger columns, then the user's own columns: ``extra_header`` (as read, raw) and each
    row's raw ``_extra`` cells byte for byte; a row without them (new, or from a plan sheet) fills those
    slots by header name, and names no slot holds get a new column."""
    extras = list(extra_header or [])
    for r in rows:
        if "_extra" not in r:
            extras += [k for k in r if k not in LEDGER_COLUMNS and k not in extras and not k.startswith("_")]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([*LEDGER_COLUMNS, *extras])
    for r in rows:
        cells = []
        for c in LEDGER_COLUMNS:
            v = r.get(c)
            if c in NUMBER_COLUMNS:
                try:
                    cells.append(fmt_number(parse_number(v)))
                except ValueError:
                    cells.append(neutralise(str(v)))
            else:
                cells.append(neutralise("" if v is None else str(v)))
        own = r.get("_extra")
        if own is not None:
            cells += [*own, *[""] * (len(extras) - len(own))]
        else:
            cells += [neutralise(str(r.get(h.strip()) or "")) if h.strip() else "" for h in extras]
        w.writerow(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    os.replace(tmp, path)


@contextlib.contextmanager
def _lock(home: Home):
    d = home.actions
    d.mkdir(parents=True, exist_ok=True)
    with open(d / ".ledger.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def append_actions(
    home: Home,
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
    path = ledger_path(home, account_id)
    with _lock(home):
        extra_header, rows = _load(home, account_id)
        usable, _ = _usable(home, account_id, rows)  # a row set aside is kept in the file, never matched
        by_key = {
            (r["rule_id"], r["entity_type"], r["entity_id"], r["action_code"]): r
            for r in usable
            if r.get("status") == "open"
        }
        by_id = {r["action_id"]: r for r in usable if r.get("action_id")}
        taken = {r.get("action_id") for r in rows}
        result, added = [], False
        for item in items:
            key = tuple(
                str(item.get(c) or "").strip() for c in ("rule_id", "entity_type", "entity_id", "action_code")
            )
            if key in by_key:
                result.append(by_key[key])
                continue
            aid = action_id_for(account_id, *key, created_on)
            if aid in by_id or aid in taken:  # created today and already closed: do not re-open it
                result.append(by_id.get(aid))
                continue
            row = {c: "" for c in LEDGER_COLUMNS}
            row.update(
                action_id=aid,
                account_id=account_id,
                created_on=fmt_date(created_on),
                report_period_end=fmt_date(report_period_end),
                status="open",
                note=str(item.get("note") or ""),
            )
            for c in ITEM_COLUMNS:
                v = item.get(c)
                if c == "due_date":
                    row[c] = fmt_date(parse_date(v)) if v not in (None, "") else ""
                elif c == "value_at_creation":
                    row[c] = fmt_number(v)
                else:
                    row[c] = "" if v is None else str(v).strip()
            rows.append(row)
            by_key[key] = by_id[aid] = row
            result.append(row)
            added = True
        if added or not path.exists():
            _write_ledger(path, rows, extra_header)
        return result


def mark_done(home: Home, action_id: str, done_on: dt.date | None = None) -> dict:
    """Set an action's status to ``done`` and its done_date (default today; an already done action keeps its
    date unless ``done_on`` is given). Raises :class:`UnknownAction` when no ledger has the id, ValueError
    for a date in the future or before the action was created."""
    action_id = action_id.strip()
    today = dt.date.today()
    if done_on is not None and done_on > today:
        raise ActionDateError(f"done date {done_on} is in the future")
    unreadable: list[str] = []
    with _lock(home):
        for path in sorted(home.actions.glob("*.csv")):
            if path.name.startswith((".", "~$")):
                continue
            try:
                extra_header, rows = _load(home, path.stem)
            except (LedgerFileError, UsageError) as exc:  # one broken ledger never blocks the others
                unreadable.append(f"{path.name} ({exc})")
                continue
            for row in rows:
                if row.get("action_id") != action_id:
                    continue
                earliest = earliest_done(row.get("created_on"), row.get("report_period_end"))
                if row.get("status") == "done" and done_on is None and row.get("done_date"):
                    return row
                when = done_on or today
                if earliest and when < earliest:
                    raise ActionDateError(
                        f"done date {when} is before the week the action was planned for (starts {earliest})"
                    )
                row["status"] = "done"
                row["done_date"] = when.isoformat()
                _write_ledger(path, rows, extra_header)
                return row
    skipped = f"; not readable: {', '.join(unreadable)}" if unreadable else ""
    raise UnknownAction(f"unknown action id {action_id!r}: no ledger under {home.actions} has it{skipped}")


SHEET_EDITABLE = ("status", "done_date", "note", "owner", "due_date")


def update_from_sheet(home: Home, account_id: str, sheet: Path) -> list[dict]:
    """Bring what a team wrote in a plan sheet (a report's ``action_plan.csv``, edited and re-saved by Excel)
    into the ledger: per action id the sheet's status, done date, note, owner and due date replace the
    ledger's; a sheet row whose action id the ledger lacks is appended. Returns the ledger rows changed.

    The sheet is read as tolerantly as the ledger (encoding, separators, dates, status words). A status or
    date that cannot be read is left for the ledger's staging to report (row and column), never dropped.
    """
    _, sheet_rows = read_table(sheet)
    with _lock(home):
        extra_header, rows = _load(home, account_id)
        by_id = {r["action_id"]: r for r in rows if r.get("action_id")}
        changed = []
        for _, rec in sheet_rows:
            aid = rec.get("action_id", "").strip()
            if not aid:
                continue
            rec = _clean(rec)
            rec.pop("_extra", None)  # the sheet's own columns go in by name, not by the sheet's positions
            if aid not in by_id:
                rec["account_id"] = rec.get("account_id") or account_id
                rows.append(rec)
                by_id[aid] = rec
                changed.append(rec)
                continue
            row = by_id[aid]
            edits = {c: rec[c] for c in SHEET_EDITABLE if rec.get(c, "") != "" and rec[c] != row.get(c)}
            if edits:
                row.update(edits)
                changed.append(row)
        if changed:
            _write_ledger(ledger_path(home, account_id), rows, extra_header)
        return changed
