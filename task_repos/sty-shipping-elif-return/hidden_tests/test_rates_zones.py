from decimal import Decimal

import pytest

from shipping.rates import parcel_price, shipping_cost


def test_world_parcel():
    assert parcel_price(Decimal("4"), "world") == Decimal("25.90")


def test_unknown_zone_rejected():
    with pytest.raises(ValueError):
        parcel_price(Decimal("1"), "moon")


def test_no_free_shipping_abroad():
    assert shipping_cost(Decimal("500.00"), Decimal("1"), "FR") == Decimal("9.90")


def test_domestic_below_threshold_pays():
    assert shipping_cost(Decimal("49.99"), Decimal("2.5"), "de") == Decimal("5.15")
