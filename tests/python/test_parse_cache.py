"""dbt's parse is shared across homes: a build in a fresh home starts from the last build's parse.

dbt re-uses ``partial_parse.msgpack`` only when the rendered profile (which holds the DuckDB path) and the env
vars the project reads are the same; ``gscor build`` gives dbt paths relative to the home (``dbt_env``) and
seeds a fresh target from ``parse_cache``. Without that, every fresh home paid a 20–25 s full parse."""

from __future__ import annotations

import json

from gscor.paths import Home
from gscor.warehouse import PARSE_CACHE_ENV, build, dbt_env, parse_cache


def parse_messages(home: Home) -> list[str]:
    log = home.warehouse / ".dbt" / "logs" / "dbt.log"
    msgs = [json.loads(line)["info"]["msg"] for line in log.read_text(encoding="utf-8").splitlines() if line]
    return [m for m in msgs if "partial pars" in m.lower()]


def test_a_fresh_home_reuses_the_last_builds_parse(tmp_path, monkeypatch):
    monkeypatch.setenv(PARSE_CACHE_ENV, str(tmp_path / "cache"))
    first, second = Home(tmp_path / "first"), Home(tmp_path / "somewhere else" / "second")

    # one seed is enough: dbt parses the whole project either way (the quality gate then fails, naming the
    # marts that were not built; that is not what is tested here)
    result = build(first, select="fx_rates")
    assert not result.success and "fct_funnel_weekly" in result.message + str(result.failures)
    assert any("saved manifest not found" in m for m in parse_messages(first))
    assert parse_cache().exists()

    build(second, select="fx_rates")
    messages = parse_messages(second)
    assert not any("Unable to do partial parsing" in m for m in messages), messages
    assert any("0 files deleted, 0 files added, 0 files changed" in m for m in messages), messages


def test_the_profile_renders_the_same_in_every_home(tmp_path):
    a, b = Home(tmp_path / "a"), Home(tmp_path / "x" / "b")
    keys = ("GSCOR_HOME", "GSCOR_DUCKDB_PATH", "GSCOR_LANDING_DIR")
    env_a, env_b = dbt_env(a, a.building_db), dbt_env(b, b.building_db)
    assert [env_a[k] for k in keys] == [env_b[k] for k in keys] == [".", "warehouse/.building/gscor.duckdb",
                                                                      "data/landing"]  # fmt: skip
