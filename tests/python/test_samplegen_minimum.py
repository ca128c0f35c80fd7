"""The generator's minimum number of products agrees with the products its planted roles use."""

from __future__ import annotations

import pytest

from gscor.samplegen import MIN_PRODUCTS, generate


@pytest.mark.parametrize("products", [30, 36, MIN_PRODUCTS - 1])
def test_too_few_products_is_a_clear_error_not_an_index_error(products, tmp_path):
    with pytest.raises(ValueError, match=f"at least {MIN_PRODUCTS} products"):
        generate(tmp_path / "inbox", accounts=1, weeks=8, seed=1, products=products)
    assert not (tmp_path / "inbox").exists()


def test_the_minimum_plants_every_role_on_a_product_of_its_own(tmp_path):
    planted = generate(tmp_path / "inbox", accounts=1, weeks=8, seed=1, products=MIN_PRODUCTS)
    products = [p for p in planted if p["entity_type"] == "product"]
    assert products
    # the never-seen product (G09, the last one) is not also the showcase product of S09 (product 38)
    (g09,) = [p["entity_id"] for p in products if p["rule_id"] == "G09"]
    assert g09 not in {p["entity_id"] for p in products if p["rule_id"] == "S09"}
    assert any((tmp_path / "inbox").rglob("*.*"))
