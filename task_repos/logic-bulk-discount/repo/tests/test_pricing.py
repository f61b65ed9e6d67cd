from decimal import Decimal

import pytest

from shop.pricing import cart_total, discount_rate, line_total


def test_no_discount_for_small_orders():
    assert discount_rate(3) == Decimal("0")


def test_large_order_gets_top_tier():
    assert discount_rate(80) == Decimal("0.12")


def test_negative_quantity_rejected():
    with pytest.raises(ValueError):
        discount_rate(-1)


def test_line_total_rounds_to_cents():
    assert line_total(Decimal("1.99"), 3) == Decimal("5.97")


def test_cart_total_sums_lines():
    assert cart_total([(Decimal("2.00"), 2), (Decimal("1.00"), 1)]) == Decimal("5.00")
