from decimal import Decimal

from pricing.quotes import QuoteService


def test_unit_price_from_backend(backend):
    assert QuoteService(backend).unit_price("MUG") == Decimal("8.00")


def test_repeated_lookups_are_cached(backend):
    service = QuoteService(backend)
    for _ in range(5):
        service.unit_price("MUG", "EUR")
    assert backend.calls == [("MUG", "EUR")]


def test_sku_is_normalised(backend):
    service = QuoteService(backend)
    assert service.unit_price(" mug ") == Decimal("8.00")
    service.unit_price("MUG")
    assert len(backend.calls) == 1


def test_quote_sums_cart(backend):
    service = QuoteService(backend)
    assert service.quote({"MUG": 2, "TEE": 1}) == Decimal("35.00")


def test_invalidate_refetches(backend):
    service = QuoteService(backend)
    service.unit_price("MUG")
    backend.prices[("MUG", "EUR")] = Decimal("9.00")
    service.invalidate("mug")
    assert service.unit_price("MUG") == Decimal("9.00")


def test_usd_only_service(backend):
    assert QuoteService(backend).quote({"TEE": 2}, currency="usd") == Decimal("41.00")
