"""What is loaded: accounts × report types × periods, coverage gaps, quarantined files, and per account the
export types still missing with the rules each would let run (seeds/rule_catalogue.csv)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from .paths import Home
from .registry import ReportType, load_registry

RULE_CATALOGUE = Path(__file__).resolve().parents[1] / "seeds" / "rule_catalogue.csv"


@dataclass
class Coverage:
    account_id: str
    report_type: str
    grains: str
    files: int
    rows: int
    first_day: dt.date
    last_day: dt.date
    gaps: list[tuple[dt.date, dt.date]] = field(default_factory=list)


@dataclass
class Quarantined:
    file_name: str
    sha256: str
    account_id: str | None
    report_type: str | None
    message: str
    problem_count: int


def _manifests(home: Home, account: str | None) -> list[dict]:
    """The readable manifest records (of one account). A torn record is left out here and reported by
    ``gscor status`` through the consistency check (``gscor ingest --repair`` sets it aside)."""
    from .ingest.consistency import records

    good, _unreadable = records(home)
    return [rec for path, rec in good if account is None or path.parent.name == account]


@dataclass
class Superseded:
    """A load another load of the same account × report type × period outranks: staging keeps the winner's
    rows (the whole load for file-grain exports, per key for the others)."""

    account_id: str
    report_type: str
    period: str
    file_name: str
    winner: str
    reason: str


def _ts(value) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def recency(rec: dict) -> tuple:
    """The order of gscor.registry.RECENCY_ORDER, for a manifest record (older records lack the new fields)."""
    loaded = _ts(rec.get("loaded_at")) or dt.datetime.min
    return (_ts(rec.get("exported_at")) or loaded, rec.get("load_seq") or 0, loaded, rec.get("sha256", ""))


def _why(winner: dict, loser: dict) -> str:
    w, lo = recency(winner), recency(loser)
    if w[0] != lo[0]:
        what = "exported later" if winner.get("exported_at") else "loaded later"
        return f"{what} ({w[0]:%Y-%m-%d %H:%M:%S} UTC vs {lo[0]:%Y-%m-%d %H:%M:%S})"
    if w[1] != lo[1]:
        return f"same export time, loaded later (load #{w[1]} vs #{lo[1]})"
    if w[2] != lo[2]:
        return f"loaded later ({w[2]:%Y-%m-%d %H:%M:%S} vs {lo[2]:%Y-%m-%d %H:%M:%S})"
    return "same export and load time: the higher source_sha256 wins"


def superseded(home: Home, account: str | None = None) -> list[Superseded]:
    """Loads of one account × report type × period that a newer load outranks, with the winner and why."""
    groups: dict[tuple, list[dict]] = {}
    for rec in _manifests(home, account):
        if rec.get("period_start") is None:
            continue
        key = (rec["account_id"], rec["report_type"], rec["period_start"], rec["period_end"])
        groups.setdefault(key, []).append(rec)
    out = []
    for (acct, rtype, start, end), recs in sorted(groups.items()):
        if len(recs) < 2:
            continue
        ranked = sorted(recs, key=recency, reverse=True)
        winner = ranked[0]
        for loser in ranked[1:]:
            period = start if start == end else f"{start}~{end}"
            out.append(
                Superseded(
                    acct, rtype, period, loser["source_file"], winner["source_file"], _why(winner, loser)
                )
            )
    return out


def gaps_in(periods: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """Days between the first and last covered day that no period covers, as ranges."""
    gaps: list[tuple[dt.date, dt.date]] = []
    covered_to: dt.date | None = None
    for start, end in sorted(periods):
        if covered_to is not None and start > covered_to + dt.timedelta(days=1):
            gaps.append((covered_to + dt.timedelta(days=1), start - dt.timedelta(days=1)))
        covered_to = end if covered_to is None else max(covered_to, end)
    return gaps


def coverage(home: Home, account: str | None = None) -> list[Coverage]:
    """One line per account × report type. Gaps are computed for day/week/month data,
    from the periods the landed rows carry (a daily table's days, a weekly table's weeks)."""
    import duckdb

    loads = _manifests(home, account)
    if not loads:
        return []
    con = duckdb.connect()
    result = []
    by_key: dict[tuple[str, str], list[dict]] = {}
    for rec in loads:
        by_key.setdefault((rec["account_id"], rec["report_type"]), []).append(rec)
    for (acct, rtype), recs in sorted(by_key.items()):
        files = [str(home.root / r["landing_file"]) for r in recs if (home.root / r["landing_file"]).exists()]
        if not files:  # every landing file gone: `gscor build` names them, `gscor ingest --repair` mends
            continue
        rows = con.execute(
            "SELECT DISTINCT period_start, period_end, period_grain FROM read_parquet($files) ORDER BY 1",
            {"files": files},
        ).fetchall()
        grains = sorted({g for _, _, g in rows})
        periodic = [(s, e) for s, e, g in rows if g in ("day", "week", "month", "quarter")]
        result.append(
            Coverage(
                account_id=acct,
                report_type=rtype,
                grains=",".join(grains),
                files=len(recs),
                rows=sum(r["rows"] for r in recs),
                first_day=min(s for s, _, _ in rows),
                last_day=max(e for _, e, _ in rows),
                gaps=gaps_in(periodic),
            )
        )
    return result


def quarantined(home: Home, account: str | None = None) -> list[Quarantined]:
    """Quarantined files not since loaded (a later registry may have accepted the same bytes)."""
    if not home.quarantine.exists():
        return []
    loaded = {(r["account_id"], r["sha256"]) for r in _manifests(home, None)}
    out = []
    for reason_path in sorted(home.quarantine.glob("*/reason.json")):
        try:
            reason = json.loads(reason_path.read_text(encoding="utf-8"))
            if not isinstance(reason, dict) or "sha256" not in reason:
                raise ValueError("not a quarantine reason")
        except (OSError, ValueError):
            reason = {
                "sha256": reason_path.parent.name,
                "file_name": reason_path.parent.name,
                "message": f"the quarantine record {reason_path} cannot be read (torn or edited); "
                "the quarantined original is beside it",
            }
        if account and reason.get("account_id") != account:
            continue
        if (reason.get("account_id"), reason["sha256"]) in loaded:
            continue
        out.append(
            Quarantined(
                file_name=reason.get("file_name", ""),
                sha256=reason["sha256"],
                account_id=reason.get("account_id"),
                report_type=reason.get("report_type"),
                message=reason.get("message", ""),
                problem_count=reason.get("problem_count", 0),
            )
        )
    return out


def loaded_accounts(home: Home) -> list[str]:
    """Accounts with at least one load recorded in the manifest (what ``gscor build`` has to work on)."""
    if not home.manifest.exists():
        return []
    return sorted(d.name for d in home.manifest.iterdir() if d.is_dir() and any(d.glob("*.json")))


@dataclass
class Rule:
    rule_id: str
    title_zh: str
    title_en: str
    required: tuple[str, ...]  # report types it needs, all of them


def rule_catalogue(path: Path = RULE_CATALOGUE) -> list[Rule]:
    """The GSCOR rules and the export types each needs (``required_report_types``, ``|``-separated)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            Rule(
                r["rule_id"],
                r["title_zh"],
                r["title_en"],
                tuple(t for t in r["required_report_types"].split("|") if t),
            )
            for r in csv.DictReader(fh)
        ]


@dataclass
class MissingExport:
    account_id: str
    report_type: ReportType
    unlocks: list[Rule]  # rules that run once this export is loaded (their other exports are there)
    with_others: list[tuple[Rule, list[str]]]  # rules that need it and other missing exports (named)


def missing_exports(home: Home, account: str | None = None) -> list[MissingExport]:
    """Per loaded account, every registry export type it has no load of, with the rules it unlocks; the
    exports that unlock the most rules first."""
    registry, rules = load_registry(), rule_catalogue()
    loaded: dict[str, set[str]] = {}
    for rec in _manifests(home, account):
        loaded.setdefault(rec["account_id"], set()).add(rec["report_type"])
    out = []
    for acct, have in sorted(loaded.items()):
        missing = []
        for rtype, entry in registry.items():
            if rtype in have:
                continue
            needing = [r for r in rules if rtype in r.required]
            unlocks = [r for r in needing if all(t in have or t == rtype for t in r.required)]
            others = [
                (r, [t for t in r.required if t not in have and t != rtype])
                for r in needing
                if r not in unlocks
            ]
            missing.append(MissingExport(acct, entry, unlocks, others))
        missing.sort(key=lambda m: (-len(m.unlocks), -len(m.with_others), m.report_type.report_type))
        out.extend(missing)
    return out
