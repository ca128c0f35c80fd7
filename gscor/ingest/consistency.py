"""The manifest and the landing zone must agree: every manifest record has its landing Parquet (size and hash
as recorded, where recorded) and every landing Parquet a manifest record. ``gscor build`` refuses a home where
they disagree; ``gscor ingest --repair`` mends it from the archive."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import GscorError
from ..paths import Home

SCHEMA_ACCOUNT = "account=_schema"  # the build's zero-row schema files (gscor.warehouse): never a load


class LandingMismatch(GscorError, RuntimeError):
    """The manifest and the landing zone disagree: building would silently drop or double data."""


@dataclass
class Mismatch:
    kind: str  # missing | altered | orphan | unreadable_record
    path: Path  # the landing file (or the manifest record for unreadable_record)
    record: Path | None = None
    detail: str = ""

    def __str__(self) -> str:
        what = {
            "missing": "landing file missing (the manifest records it)",
            "altered": "landing file differs from the manifest",
            "orphan": "landing file has no manifest record",
            "unreadable_record": "manifest record cannot be read",
        }[self.kind]
        return f"{what}: {self.path}" + (f" ({self.detail})" if self.detail else "")


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def records(home: Home) -> tuple[list[tuple[Path, dict]], list[Path]]:
    """Every manifest record (path, content) and the records that cannot be read."""
    good, bad = [], []
    if home.manifest.exists():
        for p in sorted(home.manifest.glob("*/*.json")):
            try:
                rec = json.loads(p.read_text(encoding="utf-8"))
                if not isinstance(rec, dict) or "landing_file" not in rec:
                    raise ValueError("not a manifest record")
                good.append((p, rec))
            except (OSError, ValueError):
                bad.append(p)
    return good, bad


def landing_files(home: Home) -> list[Path]:
    if not home.landing.exists():
        return []
    return sorted(
        p
        for p in home.landing.glob("*/account=*/*.parquet")
        if p.parent.name != SCHEMA_ACCOUNT and not p.parent.parent.name.startswith("_")
    )


def check(home: Home) -> list[Mismatch]:
    good, bad = records(home)
    out = [Mismatch("unreadable_record", p) for p in bad]
    recorded: set[Path] = set()
    for p, rec in good:
        landing = home.root / rec["landing_file"]
        recorded.add(landing)
        if not landing.exists():
            out.append(Mismatch("missing", landing, p))
            continue
        size, sha = rec.get("landing_bytes"), rec.get("landing_sha256")
        if size is not None and landing.stat().st_size != size:
            out.append(Mismatch("altered", landing, p, f"{landing.stat().st_size} bytes, recorded {size}"))
        elif sha is not None and file_sha256(landing) != sha:
            out.append(Mismatch("altered", landing, p, "content hash differs"))
    out.extend(Mismatch("orphan", f) for f in landing_files(home) if f not in recorded)
    return out


def verify(home: Home) -> None:
    """Raise LandingMismatch naming every disagreement (before a build: dbt is not run)."""
    problems = check(home)
    if problems:
        lines = "\n  ".join(str(m) for m in problems[:20])
        more = f"\n  (+{len(problems) - 20} more)" if len(problems) > 20 else ""
        raise LandingMismatch(
            f"the manifest and the landing zone disagree, so the build would be wrong:\n  {lines}{more}\n"
            "run `gscor ingest --repair` to restore landing files from the archive and drop orphans"
        )


def repair(home: Home) -> list[str]:
    """Mend every mismatch: re-ingest a missing or altered landing file from its archived original (under its
    original name and export time), drop an orphan landing file, set aside an unreadable manifest record.
    Returns one line per action taken."""
    from .loader import Ingester, IngestOptions

    done: list[str] = []
    ingester = None
    for m in check(home):
        if m.kind == "orphan":
            m.path.unlink(missing_ok=True)
            done.append(f"dropped orphan landing file {m.path}")
            continue
        if m.kind == "unreadable_record":
            m.path.rename(m.path.with_name(m.path.name + ".unreadable"))
            done.append(
                f"set aside unreadable manifest record {m.path} (re-ingest its file to load it again)"
            )
            continue
        rec = json.loads(m.record.read_text(encoding="utf-8"))
        archived = sorted(home.archive.glob(f"{rec['sha256']}.*"))
        if not archived:
            m.record.unlink()
            m.path.unlink(missing_ok=True)
            done.append(f"no archived original for {rec['source_file']}: dropped its manifest record")
            continue
        work = home.data / f".repair-{os.getpid()}"
        copy = work / rec["source_file"]
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(archived[0], copy)
        if rec.get("exported_at"):
            t = dt.datetime.fromisoformat(rec["exported_at"]).replace(tzinfo=dt.UTC).timestamp()
            os.utime(copy, (t, t))
        m.record.unlink()
        m.path.unlink(missing_ok=True)
        ingester = ingester or Ingester(home, IngestOptions())
        try:
            out = ingester.ingest_file(copy, rec["account_id"])
        finally:
            shutil.rmtree(work, ignore_errors=True)
        done.append(f"re-ingested {rec['source_file']} from the archive: {out.status} {out.message}".rstrip())
    return done
