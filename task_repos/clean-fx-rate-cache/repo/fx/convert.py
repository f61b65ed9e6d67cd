"""Currency conversion for price display and checkout."""

from decimal import ROUND_HALF_EVEN, Decimal

from fx.cache import RateCache

MINOR_UNITS = {"JPY": 0, "KWD": 3}


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-MINOR_UNITS.get(currency, 2))


def convert(cache: RateCache, amount: Decimal, base: str, quote: str) -> Decimal:
    """`amount` in `base` expressed in `quote`, rounded half-even to the quote's minor unit."""
    converted = amount * cache.rate(base, quote)
    return converted.quantize(quantum(quote.strip().upper()), rounding=ROUND_HALF_EVEN)


def convert_prices(cache: RateCache, prices: dict[str, Decimal], base: str, quote: str) -> dict[str, Decimal]:
    """Convert a whole price list (SKU -> amount) for one storefront currency."""
    return {sku: convert(cache, amount, base, quote) for sku, amount in prices.items()}
