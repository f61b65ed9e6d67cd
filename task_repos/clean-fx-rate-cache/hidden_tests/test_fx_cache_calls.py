from decimal import Decimal

from fx.convert import convert, convert_prices


def test_price_list_uses_one_vendor_call(cache, provider):
    prices = {f"SKU{n}": Decimal(n) for n in range(500)}
    convert_prices(cache, prices, "EUR", "USD")
    convert_prices(cache, prices, "eur", "usd")
    assert provider.calls == [("EUR", "USD")]


def test_pairs_cached_separately(cache, provider):
    convert(cache, Decimal("1"), "EUR", "USD")
    convert(cache, Decimal("1"), "USD", "EUR")
    convert(cache, Decimal("1"), "EUR", "USD")
    assert provider.calls == [("EUR", "USD"), ("USD", "EUR")]


def test_refetch_after_ttl(cache, provider, clock):
    cache.rate("EUR", "USD")
    clock.now = 299.9
    cache.rate("EUR", "USD")
    clock.now = 300.0
    cache.rate("EUR", "USD")
    assert len(provider.calls) == 2


def test_clear_forces_refetch(cache, provider):
    cache.rate("EUR", "JPY")
    cache.clear()
    cache.rate("EUR", "JPY")
    assert len(provider.calls) == 2


def test_half_even_rounding(cache):
    # 0.20 EUR * 1.0850 = 0.217 -> 0.22 ; 10 EUR * 1.0850 = 10.85 exactly
    assert convert(cache, Decimal("0.20"), "EUR", "USD") == Decimal("0.22")
    assert convert(cache, Decimal("10"), "EUR", "USD") == Decimal("10.85")
