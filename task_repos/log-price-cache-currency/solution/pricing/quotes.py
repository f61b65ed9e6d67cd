"""Price quotes with an in-process cache in front of the pricing backend."""

from collections.abc import Callable
from decimal import Decimal

PriceLookup = Callable[[str, str], Decimal]
"""Backend call: (sku, currency) -> unit price in that currency."""


class QuoteService:
    """Quotes carts in any supported currency.

    Backend lookups are slow, so unit prices are cached for the lifetime of the service;
    `invalidate()` drops the cached prices of one product after a price change.
    """

    def __init__(self, lookup: PriceLookup) -> None:
        self._lookup = lookup
        self._cache: dict[str, Decimal] = {}

    @staticmethod
    def _cache_key(sku: str, currency: str) -> str:
        return f"{sku.strip().upper()}:{currency.upper()}"

    def unit_price(self, sku: str, currency: str = "EUR") -> Decimal:
        key = self._cache_key(sku, currency)
        if key not in self._cache:
            self._cache[key] = self._lookup(sku.strip().upper(), currency.upper())
        return self._cache[key]

    def quote(self, items: dict[str, int], currency: str = "EUR") -> Decimal:
        """Total price of a cart given as {sku: quantity}."""
        return sum(
            (self.unit_price(sku, currency) * quantity for sku, quantity in items.items()),
            Decimal("0"),
        )

    def invalidate(self, sku: str) -> None:
        prefix = sku.strip().upper()
        for key in [k for k in self._cache if k.split(":")[0] == prefix]:
            del self._cache[key]
