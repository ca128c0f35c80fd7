"""The registry: 18 valid entries, and each report type is recognised from its header alone."""

from __future__ import annotations

import pytest
from conftest import ingest, write_rows

from gscor.ingest.layout import locate
from gscor.ingest.readers import Sheet
from gscor.registry import load_registry, match_header, normalize_header

REGISTRY = load_registry()
CONTRACT_TYPES = {
    "product_performance",
    "keyword_performance",
    "shop_daily",
    "traffic_source",
    "industry_benchmark",
    "keyword_index",
    "p4p_keyword_daily",
    "p4p_fullsite_product",
    "inquiries",
    "tm_conversations",
    "orders",
    "customers",
    "product_catalog",
    "store_profile",
    "keyword_ranking",
    "ab_tests",
    "buyer_touchpoints",
    "competitors",
}  # docs/export_contract.md §2.1–2.18


def test_all_contract_types_are_registered():
    assert set(REGISTRY) == CONTRACT_TYPES


@pytest.mark.parametrize("report_type", sorted(CONTRACT_TYPES))
@pytest.mark.parametrize("language", ["zh", "en"])
def test_detected_from_its_own_header(report_type, language):
    entry = REGISTRY[report_type]
    if language == "zh":
        header = [c.aliases[0] for c in entry.columns]
    else:  # the English interface: the first alias written in Latin letters
        header = [next(a for a in c.aliases if a.isascii()) for c in entry.columns]
    located = locate([Sheet("Sheet1", [header, ["x"] * len(header)])], REGISTRY, "export.xlsx")
    assert located.match.report_type.report_type == report_type
    assert len(located.match.mapping) == len(entry.columns) and not located.match.unknown


@pytest.mark.parametrize(
    "report_type", sorted(t for t in CONTRACT_TYPES if len(REGISTRY[t].required_columns) >= 2)
)
def test_required_columns_alone_are_enough(report_type):
    header = [c.aliases[0] for c in REGISTRY[report_type].required_columns]
    m = match_header(header, REGISTRY[report_type])
    assert not m.missing_required and m.score > 0


def test_header_normalisation():
    assert normalize_header("\u3000分享人数 ") == normalize_header("分享人数")
    assert normalize_header("订单金额（美元）") == normalize_header("订单金额 (美元)") == "订单金额(美元)"
    assert normalize_header("Product ID") == normalize_header("product  id")


def test_the_file_name_does_not_decide_the_type(tmp_path, home):
    # a keyword table saved under a product-table name is still a keyword table
    header = [c.aliases[0] for c in REGISTRY["keyword_performance"].columns]
    rows = [
        ["流量关键词,时间周期 2026-09-13~2026-09-19"],
        [],
        [],
        [],
        [],
        header,
        ["shoes", "10", "1", "10%"],
    ]
    (out,) = ingest([write_rows(tmp_path / "Products-2026-09-19.csv", rows)], home)
    assert out.status == "loaded" and out.report_type == "keyword_performance"
