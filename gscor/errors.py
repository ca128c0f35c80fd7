"""Every error gscor raises on purpose, in one hierarchy; the CLI maps ``exit_code`` to the process status.

Exit codes (README): 0 success; 1 the work failed (a quarantined file, a failed build or quality gate, a
report that cannot be built, nothing loaded yet to build or report on); 2 usage error (bad option, unknown path, account or action id); 3 another
build of the same home is running.

Each class also derives from the builtin it replaced (ValueError, KeyError, RuntimeError), so callers that
catch the builtin keep working. ``Problem`` / ``FileProblem`` describe a rejected input file: the ingester
quarantines the file and goes on, so a FileProblem never reaches the CLI.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_BUSY = 3


class GscorError(Exception):
    """Base of gscor's own errors; ``exit_code`` is what ``gscor`` exits with when one reaches the CLI."""

    exit_code = EXIT_FAILED


# -- usage (exit 2) --------------------------------------------------------------------------------------------


class UsageError(GscorError, ValueError):
    """A command-line input gscor cannot use (bad option value, missing path, no account)."""

    exit_code = EXIT_USAGE


class UnknownAction(GscorError, KeyError):
    """No ledger of the home has this action id."""

    exit_code = EXIT_USAGE

    def __str__(self) -> str:  # KeyError's own str() is the repr of its argument
        return str(self.args[0]) if self.args else "unknown action"


class ActionDateError(GscorError, ValueError):
    """A done date that cannot be right (in the future, before the action's week)."""

    exit_code = EXIT_USAGE


# -- configuration and inputs ----------------------------------------------------------------------------------


class RegistryError(GscorError, ValueError):
    """A report-type YAML under gscor/registry/types/ is invalid."""


class LedgerFileError(GscorError, ValueError):
    """A ledger file that cannot be read as a whole (encoding, header)."""


@dataclass
class Problem:
    """One problem found in an input file: names the row, column, value and rule."""

    rule: str  # short machine code: unknown_type, missing_column, bad_value, ...
    message: str
    row: int | None = None  # 1-based row number as a spreadsheet shows it
    column: str | None = None  # header text as printed in the file
    value: str | None = None

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None}

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        loc = f" ({', '.join(where)})" if where else ""
        return f"[{self.rule}] {self.message}{loc}"


class FileProblem(GscorError):
    """The whole file is rejected; ``problems`` holds every reason found (capped)."""

    def __init__(
        self, rule: str, message: str, problems: list[Problem] | None = None, total: int | None = None
    ):
        super().__init__(message)
        self.rule = rule
        self.message = message
        self.problems = problems or [Problem(rule, message)]
        self.total = total if total is not None else len(self.problems)
        self.report_type: str | None = None
        # what the file looks like, for reason.json and the CLI: {"header": [...], "header_row": n,
        # "closest": [{"report_type", "name_zh", "name_en", "origin", "score", "matched"}, ...]}
        self.details: dict = {}


# -- build, quality gate, report -------------------------------------------------------------------------------


class NothingLoaded(GscorError, RuntimeError):
    """The home has no loaded export yet: building or reporting would only produce empty tables."""


class BuildBusy(GscorError, RuntimeError):
    """Another build holds this home's build lock."""

    exit_code = EXIT_BUSY


class IngestBusy(GscorError, RuntimeError):
    """Another ingest of this home held data/.ingest.lock for longer than the wait allows."""

    exit_code = EXIT_BUSY


class QualityCheckFailed(GscorError, RuntimeError):
    """The Great Expectations checkpoint found failing data, a missing mart, or validated nothing."""


class ReportError(GscorError, RuntimeError):
    """A report cannot be built (no warehouse, a relation missing, unknown account, bad period end…)."""


__all__ = [
    "EXIT_BUSY",
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "ActionDateError",
    "BuildBusy",
    "FileProblem",
    "GscorError",
    "IngestBusy",
    "LedgerFileError",
    "NothingLoaded",
    "Problem",
    "QualityCheckFailed",
    "RegistryError",
    "ReportError",
    "UnknownAction",
    "UsageError",
]
