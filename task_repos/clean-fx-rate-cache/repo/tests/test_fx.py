from decimal import Decimal

import pytest

from fx.convert import convert, convert_prices
from fx.provider import UnknownCurrencyError


def test_convert_rounds_to_cents(cache):
    assert convert(cache, Decimal("19.99"), "EUR", "USD") == Decimal("21.69")


def test_yen_has_no_minor_unit(cache):
    assert convert(cache, Decimal("10"), "eur", "jpy") == Decimal("1623")


def test_same_currency_is_identity(cache, provider):
    assert convert(cache, Decimal("5.00"), "EUR", "EUR") == Decimal("5.00")
    assert provider.calls == []


def test_invalid_code(cache):
    with pytest.raises(UnknownCurrencyError):
        convert(cache, Decimal("1"), "EURO", "USD")


def test_price_list(cache):
    prices = {"A": Decimal("1.00"), "B": Decimal("2.50")}
    assert convert_prices(cache, prices, "EUR", "USD") == {"A": Decimal("1.08"), "B": Decimal("2.71")}
