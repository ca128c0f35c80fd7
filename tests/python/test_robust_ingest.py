"""Issue 12: nothing lost, nothing silently wrong — the newest export wins, the manifest checks itself against
the landing zone, concurrent ingests serialise, a bad inbox folder or a torn record stops nothing else, a home
path with a quote works."""

from __future__ import annotations

import hashlib
import json
import os

import pytest
from conftest import REAL_PRODUCTS, query_db, read_rows, write_rows
from typer.testing import CliRunner

from gscor.cli import app

runner = CliRunner()


def run(*args, env=None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def one_product_week(path, clicks: int, owner: str = "User name"):
    """The real product export cut to its first product, with ``clicks`` search clicks."""
    rows = read_rows(REAL_PRODUCTS)
    header = next(i for i, r in enumerate(rows) if r and r[0] == "产品ID")
    body = rows[header + 1]
    body[6] = str(clicks)
    body[18] = owner
    return write_rows(path, [*rows[: header + 1], body])


def test_the_newest_export_of_a_week_wins_and_status_says_so(tmp_path):
    """Two exports of one week in one run: the preliminary (630 clicks) was downloaded first, the final
    (1,890) later. Both get the same loaded_at; the final must win, and `status` names winner and reason."""
    root = tmp_path / "home"
    inbox = root / "data" / "inbox" / "acme"
    final = one_product_week(inbox / "Products-final.csv", 1890)
    final_sha = hashlib.sha256(final.read_bytes()).hexdigest()
    # the preliminary sorts after the final by hash (today's tie-break): the test must not pass by luck
    for n in range(1000):
        prelim = one_product_week(inbox / "Products-prelim.csv", 630, owner=f"User name {n}")
        if hashlib.sha256(prelim.read_bytes()).hexdigest() > final_sha:
            break
    os.utime(prelim, (1_790_000_000, 1_790_000_000))
    os.utime(final, (1_790_003_600, 1_790_003_600))  # downloaded an hour later

    result = run("ingest", root / "data" / "inbox", "--home", root)
    assert result.exit_code == 0, result.output
    result = run("build", "--home", root)
    assert result.exit_code == 0, result.output
    clicks = query_db(
        root / "warehouse" / "gscor.duckdb",
        "SELECT sum(search_clicks), any_value(source_file) FROM stg_alibaba__product_performance",
    )
    assert clicks == [(1890, "Products-final.csv")]

    result = run("status", "--home", root)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "superseded" in out.lower()
    assert "Products-prelim.csv" in out and "Products-final.csv" in out
    assert "exported later" in out


def test_a_deleted_landing_file_fails_the_build_and_repair_restores_it(tmp_path):
    """The manifest says a week is loaded but its landing Parquet is gone: the build must fail naming the
    file (dbt not run), `status` must not traceback, and `ingest --repair` re-ingests the archived original."""
    root = tmp_path / "home"
    inbox = root / "data" / "inbox" / "acme"
    one_product_week(inbox / "Products-2026-09-19.csv", 71)
    one_product_week(inbox / "Products-2026-09-12.csv", 42)
    rows = read_rows(inbox / "Products-2026-09-12.csv")
    rows[0][0] = "产品数据, 时间周期 2026-09-06~2026-09-12"
    write_rows(inbox / "Products-2026-09-12.csv", rows)
    assert run("ingest", root / "data" / "inbox", "--home", root).exit_code == 0
    (victim,) = [p for p in (root / "data" / "landing").rglob("*.parquet") if "_schema" not in str(p)][:1]
    victim.unlink()
    (
        root / "data" / "landing" / "product_performance" / "account=acme" / ("f" * 64 + ".parquet")
    ).write_bytes(b"PAR1")

    result = run("status", "--home", root)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    result = run("build", "--home", root)
    assert result.exit_code == 1, result.output
    out = "".join(result.output.split())  # the terminal may wrap a long path anywhere
    assert victim.name in out and "f" * 64 in out
    assert not (root / "warehouse" / "gscor.duckdb").exists()  # dbt never ran

    result = run("ingest", "--repair", "--home", root)
    assert result.exit_code == 0, result.output
    assert victim.exists() and not (victim.parent / ("f" * 64 + ".parquet")).exists()
    result = run("build", "--home", root)
    assert result.exit_code == 0, result.output
    weeks = query_db(
        root / "warehouse" / "gscor.duckdb",
        "SELECT period_end, sum(search_clicks), any_value(source_file) FROM stg_alibaba__product_performance "
        "GROUP BY ALL ORDER BY 1",
    )
    assert [(str(d), c, f) for d, c, f in weeks] == [
        ("2026-09-12", 42, "Products-2026-09-12.csv"),
        ("2026-09-19", 71, "Products-2026-09-19.csv"),
    ]


def test_two_ingests_of_one_inbox_at_once_load_every_file_exactly_once(tmp_path):
    """Two `gscor ingest` processes on one inbox: they serialise on data/.ingest.lock, so every file is loaded
    by exactly one of them, none is quarantined, and neither deletes the other's temp files."""
    import re
    import subprocess
    import sys

    from conftest import REPO

    root = tmp_path / "home"
    inbox = root / "data" / "inbox" / "acme"
    n = 12
    for week in range(n):
        one_product_week(inbox / f"Products-w{week:02}.csv", 100 + week)
        rows = read_rows(inbox / f"Products-w{week:02}.csv")
        rows[0][0] = (
            f"产品数据, 时间周期 2026-{5 + week // 4:02}-{1 + 7 * (week % 4):02}~2026-{5 + week // 4:02}-{7 + 7 * (week % 4):02}"
        )
        write_rows(inbox / f"Products-w{week:02}.csv", rows)
    env = {**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "200"}
    cmd = [sys.executable, "-m", "gscor.cli", "ingest", str(root / "data" / "inbox"), "--home", str(root)]
    procs = [
        subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    loaded = sum(int(m) for out in outs for m in re.findall(r"loaded (\d+) file", out))
    assert loaded == n, outs
    assert not (root / "data" / "quarantine").exists(), outs
    assert len(list((root / "data" / "manifest" / "acme").glob("*.json"))) == n
    assert not list((root / "data").rglob(".*.tmp-*"))


@pytest.mark.parametrize("bad", ["New folder", "账号"])
def test_a_badly_named_inbox_folder_does_not_stop_the_other_accounts(tmp_path, bad):
    root = tmp_path / "home"
    inbox = root / "data" / "inbox"
    one_product_week(inbox / "acme" / "Products-2026-09-19.csv", 71)
    one_product_week(inbox / bad / "Products-2026-09-19.csv", 72)
    result = run("ingest", inbox, "--home", root)
    assert result.exit_code == 1, result.output
    assert (root / "data" / "manifest" / "acme").is_dir()
    out = " ".join(result.output.split())
    assert "loaded 1 file(s)" in out and bad in out


def test_a_home_path_with_a_quote_ingests_stages_and_builds(tmp_path):
    """Issue 12 item 11: a `'` in the home path reached SQL pasted (COPY … TO '<path>', read_parquet('<path>')),
    so every file was quarantined as internal_error and dbt's sources broke. Ingest, the schema files, the ledger
    staging and the staging views all work under such a home, and the rows arrive."""
    from conftest import REAL_KEYWORDS, ingest
    from test_dbt_unit_tests import run_dbt

    from gscor.actions import stage_ledgers
    from gscor.paths import Home
    from gscor.warehouse import write_schema_files

    home = Home(tmp_path / "o'brien's home")
    outcomes = ingest([REAL_PRODUCTS, REAL_KEYWORDS], home, account="real")
    assert [o.status for o in outcomes] == ["loaded", "loaded"], [(o.status, o.message) for o in outcomes]
    assert write_schema_files(home)
    stage_ledgers(home)
    db = home.building_db  # the quote is in the folder (a catalog name cannot hold one); the build's path:
    # dbt re-uses the shared parse (run_dbt)
    db.parent.mkdir(parents=True, exist_ok=True)
    selection = [
        "stg_alibaba__product_performance",
        "stg_alibaba__keyword_performance",
        "+stg_actions__ledger",
    ]
    no_tests = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
    done = run_dbt(["build", "-s", *selection, *no_tests], db, tmp_path / "target", home)
    assert done.returncode == 0, done.stdout[-3000:]
    counts = query_db(
        db,
        "select (select count(*) from stg_alibaba__product_performance),"
        " (select count(*) from stg_alibaba__keyword_performance), (select count(*) from stg_actions__ledger)",
    )[0]
    assert counts == (365, 500, 0)


def test_a_torn_manifest_record_or_reason_stops_nothing(tmp_path):
    """Issue 12 item 13: one torn manifest record or quarantine reason.json made `status` and `ingest` stop
    with a traceback. Now `status` reports the torn record and goes on, and the ingest loads that file again
    (which rewrites its record) beside the other files."""
    from conftest import REAL_KEYWORDS

    root = tmp_path / "home"
    inbox = root / "data" / "inbox" / "acme"
    inbox.mkdir(parents=True)
    for src in (REAL_PRODUCTS, REAL_KEYWORDS):
        (inbox / src.name).write_bytes(src.read_bytes())
    (inbox / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")  # quarantined: not a known export
    first = run("ingest", inbox.parent, "--home", root)
    assert first.exit_code == 1, first.output  # 1: a file was quarantined
    records = sorted((root / "data" / "manifest" / "acme").glob("*.json"))
    reasons = sorted((root / "data" / "quarantine").glob("*/reason.json"))
    assert len(records) == 2 and len(reasons) == 1
    torn = records[0]
    torn.write_text(torn.read_text(encoding="utf-8")[:40], encoding="utf-8")
    reasons[0].write_text('{"sha256": "', encoding="utf-8")

    shown = run("status", "--home", root)
    assert shown.exit_code == 0, shown.output
    assert "Traceback" not in shown.output
    flat = "".join(shown.output.split())  # rich wraps long paths at the console width
    assert torn.name in flat and "--repair" in flat
    assert "cannotberead" in flat

    again = run("ingest", inbox.parent, "--home", root)
    assert again.exit_code == 1 and isinstance(again.exception, SystemExit), again.output  # notes.csv again
    assert "Traceback" not in again.output
    assert json.loads(torn.read_text(encoding="utf-8"))["rows"] in (
        365,
        500,
    )  # loaded again, record rewritten
