"""Loads are idempotent, overlapping loads are kept, and a crash leaves nothing half-written."""

from __future__ import annotations

import os

import pytest
from conftest import REAL_KEYWORDS, REAL_PRODUCTS, ingest, landed, read_rows, write_rows

from gscor.ingest import loader
from gscor.paths import Home


def files_under(home: Home) -> set[str]:
    return {str(p.relative_to(home.root)) for p in home.root.rglob("*") if p.is_file()}


def test_same_bytes_twice_is_skipped(home):
    ingest([REAL_PRODUCTS, REAL_KEYWORDS], home)
    before = files_under(home)
    again = ingest([REAL_PRODUCTS, REAL_KEYWORDS], home)
    assert [o.status for o in again] == ["skipped", "skipped"]
    assert [o.rows for o in again] == [365, 500]
    assert files_under(home) == before
    assert len(landed(home, "product_performance")) == 365


def test_same_bytes_for_another_account_load_separately(home):
    ingest([REAL_PRODUCTS], home, account="acme")
    (out,) = ingest([REAL_PRODUCTS], home, account="globex")
    assert out.status == "loaded"
    rows = landed(home, "product_performance")
    assert {r["account_id"] for r in rows} == {"acme", "globex"} and len(rows) == 730


def test_a_new_export_of_the_same_week_is_kept_beside_the_first(tmp_path, home):
    rows = read_rows(REAL_PRODUCTS)
    rows[6][5] = "4400"  # the platform revised one figure
    ingest([REAL_PRODUCTS], home)
    (out,) = ingest([write_rows(tmp_path / "Products-2026-09-19.csv", rows)], home)
    assert out.status == "loaded"
    landed_rows = landed(home, "product_performance")
    assert len(landed_rows) == 730 and len({r["source_sha256"] for r in landed_rows}) == 2


class Killed(BaseException):
    """Stands in for the process being killed: not an Exception, so nothing catches it."""


def test_crash_mid_write_leaves_no_partial_landing(tmp_path, monkeypatch):
    home = Home(tmp_path / "crash")
    real_replace = os.replace

    def dying_replace(src, dst):
        if str(dst).endswith(".parquet"):
            raise Killed()
        return real_replace(src, dst)

    monkeypatch.setattr(loader.os, "replace", dying_replace)
    with pytest.raises(Killed):
        ingest([REAL_PRODUCTS], home)
    assert not list(home.landing.rglob("*.parquet"))
    assert not list(home.manifest.rglob("*.json"))
    assert list(home.landing.rglob(".*.tmp-*"))  # the half-written file is only ever a temp name

    monkeypatch.setattr(loader.os, "replace", real_replace)
    (out,) = ingest([REAL_PRODUCTS], home)
    assert out.status == "loaded"
    assert not list(home.root.rglob(".*.tmp-*"))  # cleaned up by the re-run
    clean = Home(tmp_path / "clean")
    ingest([REAL_PRODUCTS], clean)
    strip = lambda rows: [  # noqa: E731  (load_seq numbers this home's loads: the crashed run took one)
        {k: v for k, v in r.items() if k not in ("loaded_at", "load_seq")} for r in rows
    ]
    assert strip(landed(home, "product_performance")) == strip(landed(clean, "product_performance"))


def test_an_internal_error_quarantines_only_that_file(home, monkeypatch):
    real = loader.Ingester._load

    def broken(self, path, data, out):
        if path.name.startswith("Products"):
            raise RuntimeError("boom")
        return real(self, path, data, out)

    monkeypatch.setattr(loader.Ingester, "_load", broken)
    outcomes = ingest([REAL_PRODUCTS, REAL_KEYWORDS], home)
    assert [o.status for o in outcomes] == ["quarantined", "loaded"]
    assert "boom" in outcomes[0].message


def test_same_bytes_twice_in_one_run_load_once(tmp_path, home):
    copies = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        copies.append(tmp_path / folder / REAL_PRODUCTS.name)
        copies[-1].write_bytes(REAL_PRODUCTS.read_bytes())
    assert [o.status for o in ingest(copies, home)] == ["loaded", "skipped"]
    assert len(landed(home, "product_performance")) == 365
    assert len(list(home.landing.rglob("*.parquet"))) == 1
