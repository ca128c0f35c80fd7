"""The Spark target's plumbing that needs no Spark (the engine comparison itself is `make test-spark`)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from gscor import spark
from gscor.paths import Home
from gscor.warehouse import build

REPO = Path(__file__).resolve().parents[2]


def test_build_schemas_are_fresh_and_sort_by_time():
    a = spark.new_build_schema(dt.datetime(2026, 12, 3, 9, 5, 1, tzinfo=dt.UTC))
    b = spark.new_build_schema(dt.datetime(2026, 12, 3, 10, 0, 0, tzinfo=dt.UTC))
    assert a == "gscor_b20261203090501" and a < b  # the publish drops schemas older than the one it replaces


def test_published_schema_is_read_from_the_record(tmp_path):
    home = Home(tmp_path)
    assert spark.published_schema(home) is None
    spark.spark_dir(home).mkdir(parents=True)
    spark.published_file(home).write_text(json.dumps({"build_schema": "gscor_b1"}), encoding="utf-8")
    assert spark.published_schema(home) == "gscor_b1"
    assert (
        spark.spark_table_dir(home, "gscor_b1") == tmp_path / "warehouse" / "spark" / "tables" / "gscor_b1.db"
    )


def test_unknown_target_is_refused_before_anything_runs(tmp_path):
    with pytest.raises(ValueError, match="unknown build target"):
        build(Home(tmp_path), target="nonsense")
    assert not (tmp_path / "warehouse").exists()


def test_profile_has_a_spark_session_target_with_the_settings_the_sql_relies_on():
    target = yaml.safe_load((REPO / "profiles.yml").read_text(encoding="utf-8"))["gscor"]["outputs"]["spark"]
    assert target["type"] == "spark" and target["method"] == "session"
    params = target["server_side_parameters"]
    for key, value in {
        "spark.sql.sources.partitionOverwriteMode": "dynamic",  # insert_overwrite replaces only new partitions
        "spark.sql.parquet.mergeSchema": "true",  # read_parquet(union_by_name=true)
        "spark.sql.parquet.inferTimestampNTZ.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
    }.items():
        assert params[key] == value, key


def test_spark_lock_pins_exact_versions():
    lines = [
        ln.strip()
        for ln in (REPO / "requirements-spark.lock").read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert lines and all("==" in ln for ln in lines)
    assert {ln.split("==")[0] for ln in lines} >= {"dbt-spark", "pyspark", "py4j"}


def test_run_operations_get_the_builds_arguments_without_the_selection():
    """The publish (a run-operation) once got six stray test kinds: the nightly --exclude names seven, and only
    the first was dropped, so every Spark publish failed after a green build."""
    from gscor.warehouse import data_test_selection

    common = ["--log-format", "json", "--project-dir", "/p", "--target", "spark", "--target-path", "/t"]
    args = [*common, "--full-refresh", *data_test_selection(), "--exclude-resource-type", "unit_test"]
    assert len(data_test_selection()) > 2  # the case that broke: an option with several values
    assert spark.run_operation_args(args) == common
    assert spark.run_operation_args(["--select", "a+", "b", "--log-path", "/l"]) == ["--log-path", "/l"]


def test_every_landing_schema_file_is_visible_to_spark(tmp_path):
    """Spark lists a folder without the files whose name starts with ``_`` or ``.`` (Hadoop's hidden files;
    a folder name with ``=`` is a partition and stays): the zero-row schema file of a report type with no loads
    must not be such a file, or the type has no file at all on Spark (UNABLE_TO_INFER_SCHEMA). An older home's
    ``_schema.parquet`` is replaced."""
    from gscor.warehouse import schema_file, write_schema_files

    home = Home(tmp_path / "home")
    old = home.landing / "customers" / "account=_schema" / "_schema.parquet"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"PAR1")
    written = write_schema_files(home)
    assert written and not old.exists()

    def hidden_to_spark(part: str) -> bool:  # InMemoryFileIndex.shouldFilterOutPathName
        return (part.startswith("_") and "=" not in part) or part.startswith(".")

    for path in written:
        assert path == schema_file(home, path.parent.parent.name)
        assert not any(hidden_to_spark(p) for p in path.relative_to(home.landing).parts), path
