from decimal import Decimal

import pytest

from fx import rates


@pytest.fixture(autouse=True)
def restore_rates(monkeypatch):
    monkeypatch.setattr(rates, "_RATES", dict(rates._RATES))


def test_current_rates_is_a_copy():
    snapshot = rates.current_rates()
    snapshot["USD"] = Decimal("99")
    assert rates.current_rates()["USD"] == Decimal("1.0850")


def test_cross_conversion_via_euro():
    assert rates.convert(Decimal("85.60"), "GBP", "USD") == Decimal("108.50")


def test_conversion_to_yen_rounds_to_units():
    assert rates.convert(Decimal("10"), "EUR", "JPY") == Decimal("1624")


def test_unknown_currency():
    with pytest.raises(ValueError):
        rates.convert(Decimal("1"), "EUR", "XXX")


def test_update_rates():
    rates.update_rates({"chf": "0.9400"})
    assert rates.convert(Decimal("100"), "EUR", "CHF") == Decimal("94.00")


def test_update_rejects_non_positive():
    with pytest.raises(ValueError):
        rates.update_rates({"USD": "0"})
