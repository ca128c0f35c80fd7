"""Where gscor keeps its run folders: ``GSCOR_HOME`` or ``--home``, default the current directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike | None = None) -> Home:
        root = home or os.environ.get("GSCOR_HOME") or os.getcwd()
        return cls(Path(root).expanduser().resolve())

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def inbox(self) -> Path:
        return self.data / "inbox"

    @property
    def archive(self) -> Path:
        return self.data / "archive"

    @property
    def quarantine(self) -> Path:
        return self.data / "quarantine"

    @property
    def actions(self) -> Path:
        """The action ledgers: ``data/actions/<account_id>.csv`` (gscor.actions)."""
        return self.data / "actions"

    @property
    def landing(self) -> Path:
        return self.data / "landing"

    @property
    def manifest(self) -> Path:
        """One JSON record per successful load: ``manifest/<account>/<sha256>.json``."""
        return self.data / "manifest"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def landing_file(self, report_type: str, account_id: str, sha256: str) -> Path:
        return self.landing / report_type / f"account={account_id}" / f"{sha256}.parquet"

    def manifest_file(self, account_id: str, sha256: str) -> Path:
        return self.manifest / account_id / f"{sha256}.json"
