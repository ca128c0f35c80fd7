"""Where gscor keeps its run folders: ``GSCOR_HOME`` or ``--home``, default the current directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "gscor.duckdb"  # the warehouse file's name, published or building (catalog name "gscor")


@dataclass(frozen=True)
class Home:
    root: Path

    @classmethod
    def resolve(cls, home: str | os.PathLike | None = None) -> Home:
        """The home of ``--home`` / ``GSCOR_HOME`` / the current directory. Called once, at the CLI edge:
        everything inside gscor takes a Home."""
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
    def published_db(self) -> Path:
        """The published warehouse ``warehouse/gscor.duckdb`` (what the report and BI tools read)."""
        return self.warehouse / DB_NAME

    @property
    def building_db(self) -> Path:
        """Where ``gscor build`` builds before the atomic publish: ``warehouse/.building/gscor.duckdb``.

        Same file name as the published one: DuckDB names the catalog after the file stem and dbt qualifies
        relations with it, so views must see the same catalog name once published."""
        return self.warehouse / ".building" / DB_NAME

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def landing_file(self, report_type: str, account_id: str, sha256: str) -> Path:
        return self.landing / report_type / f"account={account_id}" / f"{sha256}.parquet"

    def manifest_file(self, account_id: str, sha256: str) -> Path:
        return self.manifest / account_id / f"{sha256}.json"
