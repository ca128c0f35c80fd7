"""Great Expectations over the built warehouse: the publish gate of ``gscor build``.

``gscor build`` (gscor.warehouse) runs :func:`run_checkpoint` on the freshly built file in
``warehouse/.building/`` after every dbt node passed and before the atomic publish; a failing expectation
fails the build like a failing dbt test (exit 1, the published file untouched). The suites check what the
dbt tests do not (distributions with a tolerance, cross-column orderings, row-count sanity per account and
week); see ``gx/gscor_checkpoint.yml``.

GX 1.x has no working DuckDB route (the SQL datasource validates nothing), so every mart (or derived
query) is read with DuckDB (``read_only=True``) into a pandas DataFrame and validated through a pandas
datasource:

- ``gx/gscor_checkpoint.yml`` is the config: ``marts`` (validated as they are; a listed mart the warehouse
  lacks fails the run) and ``derived`` frames (a DuckDB query over the warehouse), each with its checks
  (``between``, ``values_in``, ``not_in``, ``ordered``, ``equal``; see the file).
- The build runs an ephemeral GX context (nothing written). ``python -m gscor.quality`` and
  ``run_checkpoint(..., ephemeral=False)`` use the file-mode context under ``gx/``: the expectation suites
  ``gx/expectations/<name>.json`` (rewritten only when the spec changes), one validation definition and
  checkpoint ``gscor__<name>`` per frame (GX gives every validation definition of one checkpoint the same
  dataframe batch parameter), and Data Docs under ``gx/uncommitted/`` (git-ignored).

``run_checkpoint`` returns a :class:`QualityResult`; ``success`` is False when any expectation failed or
raised, a listed mart is missing, or no expectation was evaluated at all (a run that validates nothing is a
failure). ``QualityResult.raise_for_failure()`` raises :class:`gscor.errors.QualityCheckFailed`.
Command line: ``python -m gscor.quality warehouse/gscor.duckdb`` (exit 0 pass, 1 fail).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from .errors import QualityCheckFailed

os.environ["GX_ANALYTICS_ENABLED"] = "false"  # before great_expectations is imported: no phoning home

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CONTEXT_ROOT = REPO / "gx"
CONFIG_NAME = "gscor_checkpoint.yml"
DATASOURCE = "gscor_marts"
CHECK_KINDS = ("between", "values_in", "not_in", "ordered", "equal")
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Frame:
    """What one suite validates: a mart as it is (``sql`` None) or the rows of a derived query."""

    name: str
    checks: dict[str, Any]
    sql: str | None = None

    @property
    def query(self) -> str:
        return self.sql if self.sql is not None else f'SELECT * FROM "{self.name}"'


@dataclass
class MartResult:
    mart: str
    rows: int = 0
    evaluated: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)  # "expectation(kwargs): observed" per failure

    @property
    def success(self) -> bool:
        return self.evaluated > 0 and self.failed == 0


@dataclass
class QualityResult:
    success: bool
    evaluated: int
    failed: int
    marts: list[MartResult]
    problems: list[str]  # run-level problems: a missing mart, nothing evaluated
    context_root: Path

    def summary(self) -> str:
        return (
            f"{'PASS' if self.success else 'FAIL'} — {self.evaluated} expectations evaluated, "
            f"{self.failed} failed, {len(self.marts)} frames"
        )

    def describe(self) -> str:
        lines = [f"gscor quality: {self.summary()}"]
        lines += [f"  problem: {p}" for p in self.problems]
        for m in self.marts:
            lines.append(f"  {m.mart}: {m.rows} rows, {m.evaluated} evaluated, {m.failed} failed")
            lines += [f"    - {f}" for f in m.failures]
        return "\n".join(lines)

    def raise_for_failure(self) -> None:
        if not self.success:
            raise QualityCheckFailed(self.describe())


def load_config(context_root: Path) -> dict[str, Frame]:
    """The frames to validate and their checks, from ``<context_root>/gscor_checkpoint.yml``."""
    path = context_root / CONFIG_NAME
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    frames: dict[str, Frame] = {}
    for section in ("marts", "derived"):
        for name, spec in (data.get(section) or {}).items():
            spec = dict(spec or {})
            sql = spec.pop("sql", None)
            if not _IDENTIFIER.match(name):
                raise ValueError(f"{path}: {section} name {name!r} is not a plain identifier")
            if section == "derived" and not sql:
                raise ValueError(f"{path}: derived {name} has no sql")
            if name in frames:
                raise ValueError(f"{path}: {name} is listed twice")
            unknown = set(spec) - set(CHECK_KINDS)
            if unknown:
                raise ValueError(f"{path}: {name}: unknown checks {sorted(unknown)} (use {CHECK_KINDS})")
            frames[name] = Frame(name, spec, sql)
    return frames


def _set(spec: Any) -> tuple[list, float | None]:
    """``[values]`` or ``{values: [...], mostly: f}``."""
    if isinstance(spec, dict):
        return list(spec["values"]), spec.get("mostly")
    return list(spec), None


def build_expectations(checks: dict[str, Any]) -> list:
    """The GX expectations of one frame's checks, in a stable order."""
    import great_expectations.expectations as gxe

    def tolerance(mostly: float | None) -> dict:
        return {} if mostly is None else {"mostly": float(mostly)}

    out: list = []
    for col, r in (checks.get("between") or {}).items():
        out.append(
            gxe.ExpectColumnValuesToBeBetween(
                column=col,
                min_value=r.get("min"),
                max_value=r.get("max"),
                strict_min=bool(r.get("strict_min", False)),
                **tolerance(r.get("mostly")),
            )
        )
    for col, spec in (checks.get("values_in") or {}).items():
        values, mostly = _set(spec)
        out.append(gxe.ExpectColumnValuesToBeInSet(column=col, value_set=values, **tolerance(mostly)))
    for col, spec in (checks.get("not_in") or {}).items():
        values, mostly = _set(spec)
        out.append(gxe.ExpectColumnValuesToNotBeInSet(column=col, value_set=values, **tolerance(mostly)))
    for low, high in checks.get("ordered", []):
        out.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=high, column_B=low, or_equal=True, ignore_row_if="either_value_is_missing"
            )
        )
    for a, b in checks.get("equal", []):
        out.append(gxe.ExpectColumnPairValuesToBeEqual(column_A=a, column_B=b))
    return out


def _signature(expectations) -> list[tuple[str, str]]:
    """(type, kwargs) of each expectation, ids and metadata left out, to compare a stored suite with the spec."""
    sig = []
    for e in expectations:
        conf = e.configuration.to_json_dict()
        sig.append((conf["type"], repr(sorted(conf["kwargs"].items()))))
    return sig


def _sync_mart(context, mart: str, checks: dict[str, Any], data_docs: bool = True):
    """Make the suite, asset, validation definition and checkpoint of one frame match the spec."""
    import great_expectations as gx
    from great_expectations.exceptions import DataContextError

    wanted = build_expectations(checks)
    try:
        suite = context.suites.get(mart)
    except DataContextError:  # not stored yet
        suite = None
    if suite is None or _signature(suite.expectations) != _signature(wanted):
        if suite is not None:
            context.suites.delete(mart)
        suite = gx.ExpectationSuite(name=mart, meta={"source": f"gx/{CONFIG_NAME} (gscor/quality.py)"})
        for e in wanted:
            suite.add_expectation(e)
        suite = context.suites.add(suite)

    datasource = context.data_sources.get(DATASOURCE)
    try:
        asset = datasource.get_asset(mart)
    except LookupError:
        asset = datasource.add_dataframe_asset(name=mart)
    try:
        batch_definition = asset.get_batch_definition(mart)
    except KeyError:
        batch_definition = asset.add_batch_definition_whole_dataframe(mart)

    try:
        validation = context.validation_definitions.get(mart)
    except DataContextError:
        validation = None
    if validation is None or validation.suite.name != mart:
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=mart, data=batch_definition, suite=suite)
        )

    name = f"gscor__{mart}"
    try:
        checkpoint = context.checkpoints.get(name)
    except DataContextError:
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=name,
                validation_definitions=[validation],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")] if data_docs else [],
                result_format="SUMMARY",
            )
        )
    return checkpoint


def _open_context(context_root: Path, ephemeral: bool):
    import great_expectations as gx

    if ephemeral:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    else:
        context = gx.get_context(mode="file", context_root_dir=str(context_root))
    try:
        context.data_sources.get(DATASOURCE)
    except LookupError:  # KeyError: not configured yet
        context.data_sources.add_pandas(name=DATASOURCE)
    return context


def _describe_failure(result) -> str:
    conf = result.expectation_config
    kwargs = {k: v for k, v in conf.kwargs.items() if k not in ("batch_id",)}
    info = result.exception_info or {}
    if info.get("raised_exception"):
        observed = "raised " + str(info.get("exception_message", "")).splitlines()[0][:200]
    else:
        res = result.result or {}
        observed = ", ".join(
            f"{k}={res[k]}"
            for k in ("observed_value", "unexpected_count", "partial_unexpected_list")
            if res.get(k) not in (None, [])
        )
    return f"{conf.type}({kwargs}): {observed or 'failed'}"


def run_checkpoint(
    db_path: str | os.PathLike, context_root: str | os.PathLike | None = None, *, ephemeral: bool = False
) -> QualityResult:
    """Validate every frame of ``<context_root>/gscor_checkpoint.yml`` on the DuckDB file ``db_path``.

    ``context_root`` is the GX project folder holding the config (default: the repository's ``gx/``).
    ``ephemeral`` validates in memory (the build's gate: no suites, results or Data Docs written). The
    database is opened read-only, so a published warehouse can be checked while BI tools read it.
    """
    root = Path(context_root) if context_root is not None else DEFAULT_CONTEXT_ROOT
    config = load_config(root)
    problems: list[str] = []
    frames: dict[str, Any] = {}
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        for name, spec in config.items():
            if spec.sql is None and name not in present:
                problems.append(f"mart {name} is listed in {CONFIG_NAME} but not in the warehouse")
                continue
            try:
                frames[name] = con.execute(spec.query).df()
            # e.g. a table the query reads was not built (a --select build): a failed check, not a crash
            except duckdb.Error as exc:
                problems.append(f"mart {name}: its query failed on the warehouse: {str(exc).splitlines()[0]}")
    finally:
        con.close()

    context = _open_context(root, ephemeral)
    marts: list[MartResult] = []
    for mart, frame in frames.items():
        checkpoint = _sync_mart(context, mart, config[mart].checks, data_docs=not ephemeral)
        outcome = checkpoint.run(batch_parameters={"dataframe": frame})
        mart_result = MartResult(mart=mart, rows=len(frame))
        for validation in outcome.run_results.values():
            for r in validation.results:
                mart_result.evaluated += 1
                raised = bool((r.exception_info or {}).get("raised_exception"))
                if raised or not r.success:
                    mart_result.failed += 1
                    mart_result.failures.append(_describe_failure(r))
        marts.append(mart_result)

    evaluated = sum(m.evaluated for m in marts)
    failed = sum(m.failed for m in marts)
    if evaluated == 0:
        problems.append("no expectation was evaluated: the checkpoint validated nothing")
    for m in marts:
        if m.evaluated == 0:
            problems.append(f"mart {m.mart}: no expectation was evaluated (empty suite)")
    success = not problems and failed == 0
    return QualityResult(
        success=success, evaluated=evaluated, failed=failed, marts=marts, problems=problems, context_root=root
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args or len(args) > 2:
        print("usage: python -m gscor.quality WAREHOUSE.duckdb [GX_CONTEXT_ROOT]", file=sys.stderr)
        return 2
    result = run_checkpoint(args[0], args[1] if len(args) > 1 else None)
    print(result.describe())
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
