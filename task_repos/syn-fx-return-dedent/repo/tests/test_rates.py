from decimal import Decimal

from fx.rates import convert, current_rates


def test_base_rate_is_one():
    assert current_rates()["EUR"] == Decimal("1")


def test_convert_eur_to_usd():
    assert convert(Decimal("100"), "EUR", "USD") == Decimal("108.50")
