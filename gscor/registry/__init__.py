"""The report-type registry: one YAML file per back-office export under ``types/``.

Adding an alias or a report type is a YAML change. This module loads and
validates the entries and answers two questions for the ingester: which
report type does a header row belong to, and which canonical column does each
header cell map to.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import yaml

from ..errors import RegistryError

TYPES_DIR = Path(__file__).parent / "types"

COLUMN_TYPES = {"text", "int", "decimal", "pct", "money", "bool", "date", "timestamp"}
LAYOUTS = {"data_advisor", "promotion", "list"}
PERIOD_SOURCES = {"title", "row_date", "row_period", "row_span", "file_span", "filename_span", "snapshot"}

# Lineage columns every landing row carries (docs/export_contract.md §3), plus the clock the report's
# timestamps are in and any unknown columns as JSON: name -> DuckDB type, in landing-file order.
# The one definition: the ingester writes them, the build's zero-row schema files and
# scripts/gen_sources.py (source docs and contracts) read them from here.
LINEAGE_TYPES = {
    "account_id": "VARCHAR",
    "report_type": "VARCHAR",
    "period_start": "DATE",
    "period_end": "DATE",
    "period_grain": "VARCHAR",
    "source_file": "VARCHAR",
    "source_sha256": "VARCHAR",
    "source_row": "INTEGER",
    "loaded_at": "TIMESTAMP",
    "exported_at": "TIMESTAMP",
    "load_seq": "BIGINT",
    "source_timezone": "VARCHAR",
    "extra_columns": "VARCHAR",
}
LINEAGE_COLUMNS = tuple(LINEAGE_TYPES)
# "Latest load wins" everywhere (staging, the reconciliation test, `gscor status`): the newest export, then the
# later load. Files landed before exported_at/load_seq existed read them as NULL: they fall back to loaded_at.
RECENCY_ORDER = (
    "coalesce(exported_at, loaded_at) desc",
    "coalesce(load_seq, 0) desc",
    "loaded_at desc",
    "source_sha256 desc",
)
LINEAGE_DOCS = {
    "account_id": "Seller account (store) the file was loaded for: the inbox folder or `--account`.",
    "report_type": "Registry report type the ingester detected from the header.",
    "period_start": "First day the row's figures cover (report clock, see source_timezone).",
    "period_end": "Last day the row's figures cover (inclusive).",
    "period_grain": "day / week / month / custom (data-advisor), extract (list span) or snapshot.",
    "source_file": "File name as received.",
    "source_sha256": "SHA-256 of the original file's bytes; the archive keeps it as data/archive/<sha256>.<ext>.",
    "source_row": "Row number of the record as a spreadsheet shows it (1-based).",
    "loaded_at": "When gscor ingested the file (UTC, second precision).",
    "exported_at": (
        "When the export was made (UTC): the workbook's own creation time where the file carries one, else "
        "the file's modification time (when it was downloaded). NULL in files landed before gscor recorded it."
    ),
    "load_seq": (
        "Monotonic load number of the home (data/manifest/_load_seq): a run numbers its files in the order it took them. "
        "NULL in files landed before gscor recorded it."
    ),
    "source_timezone": "Clock the report's dates and times are in (America/Los_Angeles or Asia/Shanghai).",
    "extra_columns": "Columns the registry does not know, as a JSON object {header: text} (NULL when none).",
}


@lru_cache(maxsize=65536)
def _normalize(s: str) -> str:
    s = unicodedata.normalize("NFKC", s)
    s = re.sub(r"\s+", " ", s).strip()
    # "订单金额 (美元)" and "订单金额(美元)" are the same header
    s = re.sub(r"\s*([()（）/])\s*", r"\1", s)
    return s.casefold()


def normalize_header(text: object) -> str:
    """Header cells match ignoring full-width forms, surrounding/inner spacing and case."""
    return "" if text is None else _normalize(str(text))


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    aliases: tuple[str, ...]
    required: bool = False
    key: bool = False
    additive: bool = False
    uv: bool = False
    pii: bool = False
    currency: str | None = None


@dataclass(frozen=True)
class ReportType:
    report_type: str
    name_zh: str
    name_en: str
    origin: str
    contract: str
    layout: str
    clock: str
    period: dict
    natural_key: tuple[str, ...]
    columns: tuple[Column, ...]
    title_keywords: tuple[str, ...] = ()
    filename_pattern: str | None = None
    sheets: tuple[str, ...] = ()
    filename_fields: str | None = None
    _alias_index: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @cached_property
    def alias_keys(self) -> frozenset[str]:
        """Every normalised header text that names one of this type's columns."""
        return frozenset(self._alias_index)

    def match_header(self, cell: object) -> str | None:
        """The canonical column a header cell means, or None."""
        return self._alias_index.get(normalize_header(cell))

    @property
    def required_columns(self) -> list[Column]:
        return [c for c in self.columns if c.required]


def _parse_entry(path: Path) -> ReportType:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = path.name
    for key in ("report_type", "name_zh", "layout", "clock", "period", "columns", "natural_key"):
        if key not in raw:
            raise RegistryError(f"{where}: missing '{key}'")
    if raw["report_type"] != path.stem:
        raise RegistryError(f"{where}: report_type must equal the file name")
    if raw["layout"] not in LAYOUTS:
        raise RegistryError(f"{where}: layout {raw['layout']!r} not in {sorted(LAYOUTS)}")
    if raw["period"].get("source") not in PERIOD_SOURCES:
        raise RegistryError(f"{where}: period.source not in {sorted(PERIOD_SOURCES)}")
    columns = []
    alias_index: dict[str, str] = {}
    for c in raw["columns"]:
        if c.get("type") not in COLUMN_TYPES:
            raise RegistryError(f"{where}: column {c.get('name')}: type {c.get('type')!r}")
        col = Column(
            name=c["name"],
            type=c["type"],
            aliases=tuple(str(a) for a in c.get("aliases", [])),
            required=bool(c.get("required", False)),
            key=bool(c.get("key", False)),
            additive=bool(c.get("additive", False)),
            uv=bool(c.get("uv", False)),
            pii=bool(c.get("pii", False)),
            currency=c.get("currency"),
        )
        if col.name in LINEAGE_COLUMNS or col.name.endswith("_currency"):
            raise RegistryError(f"{where}: column name {col.name!r} is reserved")
        for alias in (col.name, *col.aliases):
            norm = normalize_header(alias)
            if alias_index.get(norm, col.name) != col.name:
                raise RegistryError(f"{where}: header {alias!r} maps to {alias_index[norm]} and {col.name}")
            alias_index[norm] = col.name
        columns.append(col)
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise RegistryError(f"{where}: duplicate column names")
    for k in raw["natural_key"]:
        if k not in names and k != "source_row" and k != "plan_name":
            raise RegistryError(f"{where}: natural_key column {k!r} is not a column")
    period = dict(raw["period"])
    for pk in ("column", "start", "end"):
        if pk in period and period[pk] not in names:
            raise RegistryError(f"{where}: period.{pk} {period[pk]!r} is not a column")
    detect = raw.get("detect", {}) or {}
    return ReportType(
        report_type=raw["report_type"],
        name_zh=raw["name_zh"],
        name_en=raw.get("name_en", raw["report_type"]),
        origin=raw.get("origin", ""),
        contract=raw.get("contract", "inferred"),
        layout=raw["layout"],
        clock=raw["clock"],
        period=period,
        natural_key=tuple(raw["natural_key"]),
        columns=tuple(columns),
        title_keywords=tuple(detect.get("title_keywords", [])),
        filename_pattern=detect.get("filename"),
        sheets=tuple(detect.get("sheets", [])),
        filename_fields=raw.get("filename_fields"),
        _alias_index=alias_index,
    )


@cache
def load_registry(types_dir: Path = TYPES_DIR) -> dict[str, ReportType]:
    entries = {}
    for path in sorted(types_dir.glob("*.yml")):
        entry = _parse_entry(path)
        entries[entry.report_type] = entry
    if not entries:
        raise RegistryError(f"no report types under {types_dir}")
    return entries


@dataclass
class HeaderMatch:
    report_type: ReportType
    mapping: dict[int, str]  # header cell index -> canonical column
    unknown: dict[int, str]  # header cell index -> header text (kept as extras)
    missing_required: list[Column]
    duplicates: dict[str, list[int]]  # canonical column matched by more than one cell
    score: float


def match_header(row: list[object], entry: ReportType) -> HeaderMatch:
    mapping: dict[int, str] = {}
    unknown: dict[int, str] = {}
    seen: dict[str, list[int]] = {}
    for i, cell in enumerate(row):
        if cell is None or str(cell).strip() == "":
            continue
        canon = entry.match_header(cell)
        if canon is None:
            unknown[i] = str(cell).strip()
        else:
            seen.setdefault(canon, []).append(i)
            mapping.setdefault(i, canon)
    duplicates = {k: v for k, v in seen.items() if len(v) > 1}
    matched = set(seen)
    missing = [c for c in entry.required_columns if c.name not in matched]
    filled = len(mapping) + len(unknown)
    # Coverage of the file's header by this type, and of this type by the header:
    # the best type explains most cells and finds most of its own columns.
    precision = len(mapping) / filled if filled else 0.0
    recall = len(matched) / len(entry.columns)
    score = 0.0 if len(matched) < 2 else (2 * precision * recall / (precision + recall))
    if missing:
        score *= 0.5
    return HeaderMatch(entry, mapping, unknown, missing, duplicates, score)


@dataclass
class Resemblance:
    """How much a file that matched no report type looks like one: for the quarantine reason."""

    report_type: ReportType
    score: float  # F1 of header cells explained by the type and the type's columns found (0: name only)
    matched: list[str]  # the file's header cells this type knows, as printed in the file
    header_row: int | None  # 0-based row of the best-matching header row (None: matched by file name)
    sheet: str = ""

    def describe(self) -> str:
        rt = self.report_type
        what = f"{rt.report_type} ({rt.name_zh} / {rt.name_en})"
        if self.matched:
            shown = ", ".join(self.matched[:5]) + (" …" if len(self.matched) > 5 else "")
            why = f"{len(self.matched)} of its {len(rt.columns)} columns found: {shown}"
        else:
            why = "by the file name only"
        if rt.origin.startswith("seller-kept"):
            where = "a sheet the seller keeps (no back-office download)"
        else:
            where = f"download it from {rt.origin}" if rt.origin else "origin unknown"
        return f"{what}: {why}; {where}"

    def as_dict(self) -> dict:
        rt = self.report_type
        return {
            "report_type": rt.report_type,
            "name_zh": rt.name_zh,
            "name_en": rt.name_en,
            "origin": rt.origin,
            "score": round(self.score, 3),
            "matched_columns": self.matched,
        }


def _soft_score(row: list[object], entry: ReportType) -> tuple[float, list[str]]:
    """Like :func:`match_header`'s score without its floor of two columns: one shared column counts."""
    cells = [c for c in row if c is not None and str(c).strip()]
    hits = [(str(c).strip(), entry.match_header(c)) for c in cells]
    matched = [text for text, canon in hits if canon is not None]
    if not matched:
        return 0.0, []
    precision = len(matched) / len(cells)
    recall = len({canon for _, canon in hits if canon is not None}) / len(entry.columns)
    return 2 * precision * recall / (precision + recall), matched


def closest_types(
    sheets: list[tuple[str, list[list[object]]]],
    file_name: str = "",
    entries: dict[str, ReportType] | None = None,
    limit: int = 3,
    scan_rows: int = 30,
) -> list[Resemblance]:
    """The report types a file resembles most, best first: by header cells shared with the type (the best
    row of the first ``scan_rows`` of any sheet), then, when no header cell is shared, by file name."""
    entries = entries or load_registry()
    best: dict[str, Resemblance] = {}
    for sheet_name, rows in sheets:
        for idx, row in enumerate(rows[:scan_rows]):
            for entry in entries.values():
                score, matched = _soft_score(row, entry)
                if score > 0 and score > best.get(entry.report_type, Resemblance(entry, 0, [], None)).score:
                    best[entry.report_type] = Resemblance(entry, score, matched, idx, sheet_name)
    ranked = sorted(best.values(), key=lambda r: (-r.score, r.report_type.report_type))[:limit]
    if not ranked and file_name:
        ranked = [
            Resemblance(entry, 0.0, [], None)
            for entry in entries.values()
            if entry.filename_pattern and re.search(entry.filename_pattern, file_name)
        ][:limit]
    return ranked
