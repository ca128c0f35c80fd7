"""Problems found in an input file: each names the file, row, column, value and rule."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass
class Problem:
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


class FileProblem(Exception):
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
