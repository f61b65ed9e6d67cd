from decimal import Decimal

from shop.pricing import discount_rate, line_total


def test_threshold_ten_gets_first_tier():
    assert discount_rate(10) == Decimal("0.05")


def test_threshold_fifty_gets_top_tier():
    assert discount_rate(50) == Decimal("0.12")


def test_just_below_threshold_has_no_discount():
    assert discount_rate(9) == Decimal("0")


def test_line_total_at_threshold():
    assert line_total(Decimal("10.00"), 10) == Decimal("95.00")
