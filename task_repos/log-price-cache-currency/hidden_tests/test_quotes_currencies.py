from decimal import Decimal

from pricing.quotes import QuoteService


def test_prices_are_per_currency(backend):
    service = QuoteService(backend)
    assert service.unit_price("MUG", "EUR") == Decimal("8.00")
    assert service.unit_price("MUG", "USD") == Decimal("8.70")
    assert service.unit_price("MUG", "GBP") == Decimal("6.90")


def test_each_currency_cached_separately(backend):
    service = QuoteService(backend)
    for _ in range(3):
        service.unit_price("MUG", "EUR")
        service.unit_price("MUG", "usd")
    assert sorted(backend.calls) == [("MUG", "EUR"), ("MUG", "USD")]


def test_quotes_in_two_currencies(backend):
    service = QuoteService(backend)
    assert service.quote({"MUG": 1, "TEE": 1}, "EUR") == Decimal("27.00")
    assert service.quote({"MUG": 1, "TEE": 1}, "USD") == Decimal("29.20")


def test_invalidate_drops_all_currencies(backend):
    service = QuoteService(backend)
    service.unit_price("MUG", "EUR")
    service.unit_price("MUG", "USD")
    service.unit_price("TEE", "EUR")
    backend.prices[("MUG", "USD")] = Decimal("9.99")
    service.invalidate("MUG")
    assert service.unit_price("MUG", "USD") == Decimal("9.99")
    assert service.unit_price("TEE", "EUR") == Decimal("19.00")
    assert backend.calls.count(("TEE", "EUR")) == 1
