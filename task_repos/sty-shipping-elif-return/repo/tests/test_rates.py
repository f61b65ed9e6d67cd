from decimal import Decimal

import pytest

from shipping.rates import parcel_price, shipping_cost, zone_for


def test_zones():
    assert zone_for("de") == "domestic"
    assert zone_for("FR") == "eu"
    assert zone_for("US") == "world"


def test_light_domestic_parcel():
    assert parcel_price(Decimal("1.5"), "domestic") == Decimal("4.90")


def test_heavy_eu_parcel():
    assert parcel_price(Decimal("5"), "eu") == Decimal("13.50")


def test_invalid_weight():
    with pytest.raises(ValueError):
        parcel_price(Decimal("0"), "eu")


def test_free_domestic_shipping():
    assert shipping_cost(Decimal("50.00"), Decimal("3"), "DE") == Decimal("0.00")
