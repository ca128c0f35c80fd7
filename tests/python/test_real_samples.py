"""The two real back-office exports land exactly, with their quirks intact."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from conftest import REAL_KEYWORDS, REAL_PRODUCTS, ingest, landed

from gscor.registry import LINEAGE_COLUMNS, load_registry


def test_products_land_exactly(home):
    (out,) = ingest([REAL_PRODUCTS], home, account="real")
    assert out.status == "loaded" and out.report_type == "product_performance"
    assert (out.period_start, out.period_end, out.period_grain) == (
        dt.date(2026, 9, 13),
        dt.date(2026, 9, 19),
        "week",
    )
    rows = landed(home, "product_performance")
    assert len(rows) == out.rows == 365
    canonical = [c for c in rows[0] if c not in LINEAGE_COLUMNS and not c.endswith("_currency")]
    assert canonical == load_registry()["product_performance"].column_names and len(canonical) == 29
    assert sum(r["search_impressions"] for r in rows) == 54082
    assert sum(r["search_clicks"] for r in rows) == 630
    assert sum(r["visitors"] for r in rows) == 1149
    assert sum(r["inquiries"] for r in rows) == 18
    assert all(r["opportunity_buyers_90d"] is None for r in rows)  # '-' is unknown, never 0


def test_product_values_and_lineage(home):
    (out,) = ingest([REAL_PRODUCTS], home, account="real")
    first = landed(home, "product_performance", where="product_id = '1601825074604'")[0]
    assert first["search_ctr"] == 0.0162 and first["inquiry_rate"] == 0.0154
    assert first["is_showcase"] is True and first["is_top_display"] is False
    assert float(first["rts_gmv_usd"]) == 19.58 and first["rts_gmv_usd_currency"] == "USD"
    assert first["source_row"] == 7  # title row 1, blank rows 2-5, header row 6: first data row is row 7
    assert first["account_id"] == "real" and first["source_file"] == REAL_PRODUCTS.name
    assert first["source_sha256"] == hashlib.sha256(REAL_PRODUCTS.read_bytes()).hexdigest() == out.sha256
    assert first["source_timezone"] == "America/Los_Angeles" and first["loaded_at"] is not None
    quirky = landed(home, "product_performance", where="product_id = '1601943611671'")[0]
    assert quirky["inquiry_rate"] == 0.5 and quirky["visitors"] == 6  # kept as exported, not recomputed
    rows = [r["source_row"] for r in landed(home, "product_performance")]
    assert rows == list(range(7, 7 + 365))


def test_keywords_keep_duplicate_texts(home):
    (out,) = ingest([REAL_KEYWORDS], home, account="real")
    assert out.status == "loaded" and out.report_type == "keyword_performance"
    rows = landed(home, "keyword_performance")
    assert len(rows) == 500
    assert sum(r["impressions"] for r in rows) == 26483
    assert sum(r["clicks"] for r in rows) == 266
    assert sum(r["keyword_index"] is None for r in rows) == 113
    counts: dict[str, list[int]] = {}
    for r in rows:
        counts.setdefault(r["keyword"], []).append(r["source_row"])
    twice = {k: v for k, v in counts.items() if len(v) > 1}
    assert len(twice) == 4 and "adidas" in twice and all(len(set(v)) == 2 for v in twice.values())
    assert out.duplicate_keys == 4
    assert "zapatos atlticos" in counts  # the lost accent is kept as exported


def test_archive_and_manifest(home):
    (out,) = ingest([REAL_PRODUCTS], home, account="real")
    archived = home.archive / f"{out.sha256}.csv"
    assert archived.read_bytes() == REAL_PRODUCTS.read_bytes()
    record = json.loads(home.manifest_file("real", out.sha256).read_text(encoding="utf-8"))
    assert record["rows"] == 365 and record["report_type"] == "product_performance"
    assert record["period_start"] == "2026-09-13" and record["period_end"] == "2026-09-19"
    assert (home.root / record["landing_file"]).exists()
