"""Ingest export files into the landing zone, one file at a time, whole or not at all.

For each file: archive the original under its hash; skip it if that account
already loaded those bytes; detect its report type from the header; coerce
every cell by the registry's rules (in DuckDB); write
``landing/<type>/account=<id>/<sha256>.parquet`` through a temporary name and
a rename; record the load in the manifest. Any problem sends the file to
``quarantine/<sha256>/`` with a ``reason.json`` and the run goes on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ..errors import FileProblem, IngestBusy, Problem, UsageError
from ..paths import Home
from ..registry import load_registry
from . import coerce, pii
from .layout import (
    is_total_row,
    locate,
    parse_period_text,
    unrecognised,
)
from .periods import MAX_PROBLEMS, PeriodResolver
from .readers import Sheet, export_time, read_file, read_text
from .stream import TextBody, body_batches, normalised

ACCOUNT_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")  # \Z: $ lets a trailing newline pass
IGNORED_NAMES = re.compile(r"^(\.|~\$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)


EMPTY = "''"  # the empty SQL string literal


@dataclass
class Outcome:
    path: Path
    status: str  # loaded | skipped | quarantined
    account_id: str | None
    sha256: str | None = None
    report_type: str | None = None
    rows: int = 0
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_grain: str | None = None
    exported_at: dt.datetime | None = None
    load_seq: int | None = None
    duplicate_keys: int = 0
    extra_columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    message: str = ""
    details: dict = field(default_factory=dict)  # FileProblem.details (an unrecognised file's closest types)


@dataclass
class IngestOptions:
    account_id: str | None = None
    period: tuple[dt.date, dt.date] | None = None
    grain: str | None = None
    as_of: dt.date | None = None  # the download day of lists/snapshots whose file name carries no date


def parse_period_option(text: str) -> tuple[dt.date, dt.date]:
    p = parse_period_text(text)
    if p is None:
        raise UsageError(f"--period {text!r}: expected START~END, e.g. 2026-09-13~2026-09-19")
    return p


class BadAccountFolder(UsageError):
    """An inbox folder whose name is no account id: only its files are set aside, the others load."""


def account_for(path: Path, explicit: str | None) -> str:
    if explicit:
        account = explicit
    else:
        parts = path.resolve().parts
        try:
            i = len(parts) - 1 - parts[::-1].index("inbox")
        except ValueError:
            raise UsageError(
                f"{path}: cannot tell the account; put the file under data/inbox/<account_id>/ or pass --account"
            ) from None
        if i + 2 >= len(parts):
            raise UsageError(f"{path}: files directly in inbox/ need an account folder or --account")
        account = parts[i + 1]
    if not ACCOUNT_RE.match(account):
        raise (UsageError if explicit else BadAccountFolder)(
            f"account id {account!r}: use letters, digits, '_', '-' or '.' (at most 64)"
        )
    return account


def expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")
        if p.is_dir():
            files.extend(
                f
                for f in sorted(p.rglob("*"))
                if f.is_file() and not any(IGNORED_NAMES.match(part) for part in f.relative_to(p).parts)
            )
        else:
            files.append(p)
    return files


def _atomic_write_bytes(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, target)


INGEST_MEMORY = os.environ.get("GSCOR_INGEST_MEMORY", "512MB")  # DuckDB's share; Arrow's blocks come on top
INGEST_LOCK_WAIT = float(os.environ.get("GSCOR_INGEST_LOCK_WAIT", "600"))  # seconds
TMP_PID_RE = re.compile(r"\.tmp-(\d+)$")


@contextmanager
def ingest_lock(home: Home, wait: float | None = None) -> Iterator[None]:
    """One ingest (or ``--repair``) of a home at a time: an exclusive ``flock`` on ``data/.ingest.lock``. A second
    ingest waits for it (up to ``GSCOR_INGEST_LOCK_WAIT`` seconds, default 600) and then finds the files the
    first loaded already in the manifest ("skipped"); past the wait it stops with IngestBusy (exit 3). The
    kernel releases the lock when its holder dies, even by kill -9."""
    import fcntl

    wait = INGEST_LOCK_WAIT if wait is None else wait
    home.data.mkdir(parents=True, exist_ok=True)
    with open(home.data / ".ingest.lock", "a+b") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise IngestBusy(
                        f"another ingest of {home.root} has held {home.data / '.ingest.lock'} for over "
                        f"{wait:.0f} s; try again when it is done (GSCOR_INGEST_LOCK_WAIT sets the wait)"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def next_load_seq(home: Home, count: int = 1) -> int:
    """The next number of the home's monotonic load sequence (``data/manifest/_load_seq``), taken under an
    exclusive lock on the counter file so concurrent ingests never share one; ``count`` reserves a block (an
    ingest run numbers its files in the order it took them, whichever worker loads each)."""
    import fcntl

    home.manifest.mkdir(parents=True, exist_ok=True)
    with open(home.manifest / "_load_seq", "a+", encoding="ascii") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        text = fh.read().strip()
        n = (int(text) if text.isdigit() else 0) + 1
        fh.seek(0)
        fh.truncate()
        fh.write(f"{n + count - 1}\n")
        fh.flush()
        os.fsync(fh.fileno())
    return n


def _json_default(o):
    if isinstance(o, dt.date | dt.datetime):
        return o.isoformat()
    raise TypeError(type(o))


class Ingester(PeriodResolver):
    def __init__(
        self,
        home: Home,
        options: IngestOptions | None = None,
        now: dt.datetime | None = None,
        clean: bool = True,
    ):
        self.home = home
        self.options = options or IngestOptions()
        self.loaded_at = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)
        self.entries = load_registry()
        # DuckDB's memory is bounded (a large export spills to data/.spill instead of growing the process)
        self.con = duckdb.connect(
            config={"memory_limit": INGEST_MEMORY, "temp_directory": str(home.data / ".spill")}
        )
        if clean:
            self._clean_temp_files()

    def _clean_temp_files(self) -> None:
        """A crash mid-write leaves only ``.<name>.tmp-<pid>`` files: remove those of this process and of
        processes no longer alive (a re-run redoes the load); another live process's (a build writing its
        schema files) are left alone."""
        for base in (self.home.landing, self.home.manifest, self.home.archive, self.home.quarantine):
            if base.exists():
                for tmp in base.rglob(".*.tmp-*"):
                    m = TMP_PID_RE.search(tmp.name)
                    pid = int(m.group(1)) if m else None
                    if pid is None or pid == os.getpid() or not _pid_alive(pid):
                        tmp.unlink(missing_ok=True)

    # -- one file -----------------------------------------------------------
    def ingest_file(self, path: Path, account_id: str, load_seq: int | None = None) -> Outcome:
        """``load_seq``: this file's number in the run's reserved block (else one is taken when it lands)."""
        out = Outcome(path=path, status="quarantined", account_id=account_id, load_seq=load_seq)
        try:
            data = path.read_bytes()
        except OSError as exc:
            out.sha256 = hashlib.sha256(str(path).encode()).hexdigest()
            return self._quarantine(out, FileProblem("unreadable", f"cannot read the file: {exc}"), None)
        out.sha256 = hashlib.sha256(data).hexdigest()
        self._archive(path, out.sha256, data)
        prev = self._manifest_record(account_id, out.sha256)
        if prev is not None:
            out.status, out.report_type, out.rows, out.load_seq = (
                "skipped",
                prev["report_type"],
                prev["rows"],
                None,
            )
            out.message = f"already loaded on {prev['loaded_at']}"
            return out
        out.exported_at = export_time(path, data)
        try:
            self._load(path, data, out)
        except FileProblem as problem:
            return self._quarantine(out, problem, data)
        except Exception as exc:  # a defect in gscor must not stop the other files
            problem = FileProblem(
                "internal_error", f"gscor failed on this file ({type(exc).__name__}: {exc})"
            )
            return self._quarantine(out, problem, data)
        out.status = "loaded"
        return out

    def reject_account(self, path: Path, message: str) -> Outcome:
        """A file whose inbox folder is no valid account id: quarantined with rule ``bad_account_folder``;
        renamed into a valid account folder it loads on the next run."""
        out = Outcome(path=path, status="quarantined", account_id=None)
        try:
            data = path.read_bytes()
            out.sha256 = hashlib.sha256(data).hexdigest()
        except OSError:
            data, out.sha256 = None, hashlib.sha256(str(path).encode()).hexdigest()
        problem = FileProblem(
            "bad_account_folder",
            f"{message}; rename the folder {path.parent.name!r} under the inbox to the account id",
        )
        return self._quarantine(out, problem, data)

    def _manifest_record(self, account_id: str, sha: str) -> dict | None:
        """The manifest record of this file, if one is there and readable. A torn record (a crash mid-write by
        an older gscor, a hand edit) does not stop the run: the file is loaded again, which rewrites it."""
        path = self.home.manifest_file(account_id, sha)
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # missing, unreadable or torn
            return None
        return rec if isinstance(rec, dict) and {"report_type", "rows", "loaded_at"} <= rec.keys() else None

    def _archive(self, path: Path, sha: str, data: bytes) -> None:
        ext = path.suffix.lower() or ".bin"
        target = self.home.archive / f"{sha}{ext}"
        if not target.exists():
            _atomic_write_bytes(target, data)

    def _quarantine(self, out: Outcome, problem: FileProblem, data: bytes | None) -> Outcome:
        """``data`` is the original's bytes (None when it could not be read at all)."""
        out.status, out.load_seq = "quarantined", None
        out.report_type = out.report_type or problem.report_type
        out.problems = problem.problems[:MAX_PROBLEMS]
        out.problem_count = problem.total
        out.message = problem.message
        out.details = problem.details
        qdir = self.home.quarantine / out.sha256
        qdir.mkdir(parents=True, exist_ok=True)
        if data is not None:
            _atomic_write_bytes(qdir / out.path.name, data)
        reason = {
            "file": str(out.path),
            "file_name": out.path.name,
            "sha256": out.sha256,
            "account_id": out.account_id,
            "report_type": out.report_type,
            "rule": problem.rule,
            "message": problem.message,
            "problem_count": problem.total,
            "problems": [p.as_dict() for p in out.problems],
            **problem.details,  # an unrecognised file: its header as read, the closest report types
            "quarantined_at": self.loaded_at.isoformat(),
        }
        _atomic_write_bytes(
            qdir / "reason.json",
            json.dumps(reason, ensure_ascii=False, indent=2, default=_json_default).encode(),
        )
        return out

    def _load(self, path: Path, data: bytes, out: Outcome) -> None:
        try:
            read = read_file(path, data)
        except FileProblem as problem:
            if problem.rule == "unrecognised" and not problem.details:
                # no table at all (a PDF, an image): say what it is and which exports its name suggests
                raise unrecognised([], self.entries, path.name, looks_like=problem.message) from None
            raise
        located = locate(read.sheets, self.entries, path.name)
        entry = located.match.report_type
        out.report_type = entry.report_type
        header = located.sheet.rows[located.header_index]
        mapping = located.match.mapping
        first_row = located.header_index + 2  # 1-based sheet row of the first data row

        # a large delimited text: its body streamed by Arrow (gscor/ingest/stream.py), memory bounded
        offset = None
        if read.text is not None and not read.text.complete:
            offset = read.text.body_offset(located.header_index)
        if offset is not None:
            extras = dict(located.match.unknown)
            body = TextBody(data, offset, read.text.codec, read.text.delimiter, len(header))
            batches = body_batches(body, first_row, list(mapping), list(extras), coerce.NULL_TOKENS)
            try:
                self._typed(entry, mapping, extras, batches)
            except Exception:
                if not body.invalid:
                    raise
                # a ragged record: the tolerant reader pads short rows and keeps cells beyond the header
                rows, _ = read_text(data)
                located = dataclasses.replace(located, sheet=Sheet("", rows))
                offset = None
            else:
                if not self._q("SELECT count(*) FROM typed WHERE NOT is_total")[0][0]:
                    raise self._no_rows(entry, located)
        if offset is None:
            extras = self._typed_from_rows(entry, located, header)
        out.extra_columns = list(extras.values())
        if extras:
            out.warnings.append(f"unknown columns kept as extras: {', '.join(out.extra_columns)}")
        hashed = [name for name in out.extra_columns if pii.names_personal_data(name)]
        if hashed and pii.holds_personal_data(entry):
            out.warnings.append(f"personal data in unknown columns hashed: {', '.join(hashed)}")
        self._coerce_and_write(entry, path, header, mapping, extras, located, out)

    @staticmethod
    def _no_rows(entry, located) -> FileProblem:
        return FileProblem(
            "empty",
            f"the {entry.report_type} header is at row {located.header_index + 1} but no data rows follow",
        )

    def _typed_from_rows(self, entry, located, header) -> dict[int, str]:
        """The body of a sheet (or of a small or ragged text) from its rows in memory; returns the extras."""
        body = located.sheet.rows[located.header_index + 1 :]
        width = max((len(r) for r in body), default=0)
        mapping = located.match.mapping
        extras = dict(located.match.unknown)
        for i in range(len(header), width):  # cells to the right of the header
            if any(i < len(r) and r[i] not in (None, "") for r in body):
                extras[i] = f"column_{i + 1}"
        rows: list[list[str | None]] = []
        row_numbers: list[int] = []
        totals: list[bool] = []
        first_row = located.header_index + 2  # 1-based sheet row of the first data row
        for k, r in enumerate(body):
            if not "".join(c for c in r if c).strip():  # blank row
                continue
            rows.append(r)
            row_numbers.append(first_row + k)
            totals.append(is_total_row(r))
        if not any(not t for t in totals):
            raise self._no_rows(entry, located)
        transposed = list(itertools.zip_longest(*rows))  # one pass in C instead of one per column
        blank = [None] * len(rows)  # rows may all stop short of the header's last columns

        def cells(i: int) -> pa.Array:
            return pa.array(transposed[i] if i < len(transposed) else blank, pa.string())

        columns = {"source_row": pa.array(row_numbers, pa.int32()), "is_total": pa.array(totals, pa.bool_())}
        columns |= {f"n{i}": normalised(cells(i), coerce.NULL_TOKENS) for i in mapping}
        columns |= {f"c{i}": cells(i) for i in extras}
        self._typed(entry, mapping, extras, pa.table(columns))
        return extras

    def _typed(self, entry, mapping, extras, raw) -> None:
        """``typed``: per row its lineage, the normalised text ``n<i>`` and typed value ``t<i>`` of each known
        column, and the extras ``e<i>`` — from ``raw`` (an Arrow table or a stream of batches)."""
        # unknown columns ride along untouched, but an empty cell is NULL whatever the format
        # (text files give '', workbooks None); in a report type that holds personal data they are scrubbed
        # first (gscor/ingest/pii.py)
        if pii.holds_personal_data(entry):
            keep = "".join(
                f"{pii.scrub_expr(name, f'NULLIF(c{i}, {EMPTY})')} AS e{i}, " for i, name in extras.items()
            )
        else:
            keep = "".join(f"NULLIF(c{i}, '') AS e{i}, " for i in extras)
        norm = "".join(f"n{i}, " for i in mapping)
        typed_sql = ", ".join(
            f"{coerce.typed_expr(entry.column(canon), f'n{i}')} AS t{i}" for i, canon in mapping.items()
        )
        self.con.register("raw", raw)
        try:
            self._q(
                f"CREATE OR REPLACE TEMP TABLE typed AS SELECT source_row, is_total, {keep}{norm}{typed_sql} FROM raw"
            )
        finally:
            self.con.unregister("raw")

    def _coerce_and_write(self, entry, path, header, mapping, extras, located, out) -> None:
        by_name = {canon: i for i, canon in mapping.items()}
        checks = []
        for i, canon in mapping.items():
            col = entry.column(canon)
            hdr = coerce._lit(str(header[i]).strip())
            if col.type != "text":
                rule = coerce._lit(f"expected {coerce.RULE_TEXT[col.type]} for {canon}")
                checks.append(
                    f"SELECT source_row, {hdr} AS col, n{i} AS val, 'bad_value' AS rule, {rule} AS msg "
                    f"FROM typed WHERE NOT is_total AND n{i} IS NOT NULL AND t{i} IS NULL"
                )
            if col.key:
                msg = coerce._lit(f"{canon} is part of the key and may not be empty")
                checks.append(
                    f"SELECT source_row, {hdr}, NULL, 'missing_value', {msg} FROM typed WHERE NOT is_total AND n{i} IS NULL"
                )
            if col.type == "text" and canon.endswith("_id"):
                msg = coerce._lit(
                    f"{canon} is in scientific notation: Excel has rounded the ID and its digits are lost; "
                    "re-export or format the column as text"
                )
                checks.append(
                    f"SELECT source_row, {hdr}, n{i}, 'id_rounded', {msg} FROM typed "
                    f"WHERE NOT is_total AND {coerce.scientific_id_expr(f'n{i}')}"
                )
        problems, total = self._collect(checks)

        # the 汇总 row, where present, must equal the sum of the additive columns (one query for all)
        additive = [(i, canon) for i, canon in mapping.items() if entry.column(canon).additive]
        if additive and self._q("SELECT bool_or(is_total) FROM typed")[0][0]:
            sums = ", ".join(
                f"sum(t{i}) FILTER (WHERE NOT is_total), max(t{i}) FILTER (WHERE is_total)"
                for i, _ in additive
            )
            got = self._q(f"SELECT max(source_row) FILTER (WHERE is_total), {sums} FROM typed")[0]
            total_row = got[0]
            for k, (i, canon) in enumerate(additive):
                rows_sum, stated = got[1 + 2 * k], got[2 + 2 * k]
                if stated is not None and rows_sum is not None and rows_sum != stated:
                    problems.append(
                        Problem(
                            "total_mismatch",
                            f"the total row says {stated} for {canon} but the rows add up to {rows_sum}",
                            row=total_row,
                            column=str(header[i]).strip(),
                            value=str(stated),
                        )
                    )
                    total += 1

        period_sql, period_problems = self._period(entry, path, located, by_name, header, out)
        problems.extend(period_problems)
        total += len(period_problems)
        if problems:
            raise FileProblem(
                problems[0].rule,
                f"{total} problem(s) in {entry.report_type}; first: {problems[0]}",
                problems[:MAX_PROBLEMS],
                total,
            )

        if out.load_seq is None:
            out.load_seq = next_load_seq(self.home)
        key_cols = [k for k in entry.natural_key if k not in ("source_row", "plan_name")]
        if key_cols and all(k in by_name for k in key_cols):
            keys = ", ".join(f"t{by_name[k]}" for k in key_cols)
            out.duplicate_keys = self._q(
                f"SELECT count(*) FROM (SELECT {keys} FROM typed WHERE NOT is_total GROUP BY ALL HAVING count(*) > 1)"
            )[0][0]
            if out.duplicate_keys:
                out.warnings.append(
                    f"{out.duplicate_keys} natural key(s) ({', '.join(key_cols)}) appear more than once; "
                    "all rows kept, told apart by source_row"
                )

        select = [
            f"{coerce._lit(out.account_id)} AS account_id",
            f"{coerce._lit(entry.report_type)} AS report_type",
            *period_sql,
            f"{coerce._lit(path.name)} AS source_file",
            f"{coerce._lit(out.sha256)} AS source_sha256",
            "source_row",
            f"TIMESTAMP '{self.loaded_at.isoformat(sep=' ')}' AS loaded_at",
            f"TIMESTAMP '{out.exported_at.isoformat(sep=' ')}' AS exported_at",
            f"CAST({out.load_seq} AS BIGINT) AS load_seq",
            f"{coerce._lit(entry.clock)} AS source_timezone",
        ]
        if extras:
            pairs = ", ".join(f"{coerce._lit(name)}, e{i}" for i, name in extras.items())
            select.append(f"CAST(json_object({pairs}) AS VARCHAR) AS extra_columns")
        else:
            select.append("CAST(NULL AS VARCHAR) AS extra_columns")
        if entry.filename_fields:
            select.append(
                f"{coerce._lit(self._filename_fields(entry, path).get('plan_name') or path.stem)} AS plan_name"
            )
        for col in entry.columns:
            sql_type = coerce.DUCKDB_TYPES[col.type]
            if col.name in by_name:
                i = by_name[col.name]
                select.append(f"CAST(t{i} AS {sql_type}) AS {col.name}")
                if col.type == "money":
                    select.append(f"{coerce.currency_expr(col, f'n{i}')} AS {col.name}_currency")
            else:
                select.append(f"CAST(NULL AS {sql_type}) AS {col.name}")
                if col.type == "money":
                    select.append(f"CAST(NULL AS VARCHAR) AS {col.name}_currency")
        target = self.home.landing_file(entry.report_type, out.account_id, out.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        joins = " LEFT JOIN periods USING (source_row)" if "periods" in " ".join(period_sql) else ""
        self._q(
            f"COPY (SELECT {', '.join(select)} FROM typed{joins} WHERE NOT is_total ORDER BY source_row) "
            f"TO {coerce._lit(str(tmp))} (FORMAT parquet, COMPRESSION zstd)"
        )
        out.rows, out.period_start, out.period_end, out.period_grain = self._q(
            "SELECT count(*), min(period_start), max(period_end), string_agg(DISTINCT period_grain, ',' ORDER BY period_grain) "
            f"FROM read_parquet({coerce._lit(str(tmp))})"
        )[0]
        landing_bytes, landing_sha256 = tmp.stat().st_size, hashlib.sha256(tmp.read_bytes()).hexdigest()
        os.replace(tmp, target)
        record = {
            "account_id": out.account_id,
            "report_type": entry.report_type,
            "source_file": path.name,
            "source_path": str(path),
            "sha256": out.sha256,
            "rows": out.rows,
            "period_start": out.period_start,
            "period_end": out.period_end,
            "period_grain": out.period_grain,
            "title": located.title,
            "duplicate_keys": out.duplicate_keys,
            "extra_columns": out.extra_columns,
            "warnings": out.warnings,
            "landing_file": str(target.relative_to(self.home.root)),
            "landing_bytes": landing_bytes,
            "landing_sha256": landing_sha256,
            "loaded_at": self.loaded_at,
            "exported_at": out.exported_at,
            "load_seq": out.load_seq,
        }
        _atomic_write_bytes(
            self.home.manifest_file(out.account_id, out.sha256),
            json.dumps(record, ensure_ascii=False, indent=2, default=_json_default).encode(),
        )

    def _q(self, sql: str) -> list[tuple]:
        """Run one statement and drain its result (DuckDB 2 wants each result finished)."""
        return self.con.execute(sql).fetchall()

    def _collect(self, checks: list[str]) -> tuple[list[Problem], int]:
        if not checks:
            return [], 0
        union = " UNION ALL ".join(checks)
        rows = self._q(f"SELECT *, count(*) OVER () FROM ({union}) ORDER BY 1, 2 LIMIT {MAX_PROBLEMS}")
        total = rows[0][5] if rows else 0
        return [Problem(r[3], r[4], row=r[0], column=r[1], value=r[2]) for r in rows], total


# Files of one run are loaded by worker processes (each its own DuckDB), in parallel: a run of many small exports
# is bound by the per-file work, not by I/O. GSCOR_INGEST_WORKERS sets how many (1: in this process).
PARALLEL_MIN_FILES = 16


def ingest_workers(files: int) -> int:
    text = os.environ.get("GSCOR_INGEST_WORKERS", "").strip()
    if text.isdigit() and int(text) > 0:
        return min(int(text), max(files, 1))
    return 1 if files < PARALLEL_MIN_FILES else min(4, os.cpu_count() or 1)


_WORKER: Ingester | None = None


def _worker_start(home: Home, options: IngestOptions, loaded_at: dt.datetime) -> None:
    global _WORKER
    _WORKER = Ingester(home, options, now=loaded_at, clean=False)  # the parent cleaned the temp files


def _worker_ingest(task: tuple[Path, str, int]) -> Outcome:
    return _WORKER.ingest_file(*task)


def ingest_paths(
    paths: Iterable[Path],
    home: Home,
    options: IngestOptions | None = None,
    progress=None,
) -> list[Outcome]:
    """Ingest files and folders; returns one outcome per file, in the order of the files. Raises UsageError
    before touching anything."""
    options = options or IngestOptions()
    files = expand([Path(p) for p in paths])
    plan: list[tuple[Path, str | None, str | None]] = []
    for f in files:
        try:
            plan.append((f, account_for(f, options.account_id), None))
        except BadAccountFolder as exc:
            plan.append((f, None, str(exc)))  # a badly named inbox folder: this file only
    outcomes: list[Outcome] = []
    with ingest_lock(home):
        ingester = Ingester(home, options)
        first = next_load_seq(home, len(plan)) if plan else 0
        tasks = [(f, account, first + k) for k, (f, account, bad) in enumerate(plan) if not bad]
        results = iter(_run_parallel(tasks, home, options, ingester) if tasks else [])
        for f, _, bad_account in plan:
            if bad_account:
                outcomes.append(ingester.reject_account(f, bad_account))
            else:
                outcomes.append(next(results))
            if progress:
                progress(outcomes[-1])
    return outcomes


def _run_parallel(tasks, home: Home, options: IngestOptions, ingester: Ingester) -> Iterator[Outcome]:
    """Outcomes in task order, as they come. A worker that dies (killed, out of memory) leaves its files to
    this process, so every file still gets an outcome."""
    workers = ingest_workers(len(tasks))
    if workers <= 1:
        yield from (ingester.ingest_file(*t) for t in tasks)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["gscor.ingest.loader"])
    try:
        pool = ProcessPoolExecutor(
            workers, ctx, initializer=_worker_start, initargs=(home, options, ingester.loaded_at)
        )
    except OSError:  # no process may be started here: one process does it all
        yield from (ingester.ingest_file(*t) for t in tasks)
        return
    with pool:
        futures = []
        for task in tasks:
            try:
                futures.append(pool.submit(_worker_ingest, task))
            except RuntimeError:  # the pool broke already (BrokenProcessPool): the rest is done here
                break
        for k, task in enumerate(tasks):
            try:
                yield futures[k].result() if k < len(futures) else ingester.ingest_file(*task)
            except BrokenProcessPool:
                yield ingester.ingest_file(*task)


__all__ = ["IngestOptions", "Ingester", "Outcome", "UsageError", "ingest_paths", "parse_period_option"]
