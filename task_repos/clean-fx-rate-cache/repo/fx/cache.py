"""Rate cache in front of the (rate-limited, billed per call) rates vendor."""

import time
from collections.abc import Callable
from decimal import Decimal

from fx.provider import RateProvider, validate_code


class RateCache:
    """Remembers each currency pair for `ttl` seconds; identical pairs are free."""

    def __init__(
        self,
        provider: RateProvider,
        ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._provider = provider
        self._ttl = ttl
        self._clock = clock
        self._rates: dict[tuple[str, str], tuple[float, Decimal]] = {}

    def rate(self, base: str, quote: str) -> Decimal:
        pair = (validate_code(base), validate_code(quote))
        if pair[0] == pair[1]:
            return Decimal("1")
        now = self._clock()
        cached = self._rates.get(pair)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        value = self._provider.fetch(*pair)
        if value <= 0:
            raise ValueError(f"provider returned a non-positive rate for {pair}")
        self._rates[pair] = (now, value)
        return value

    def clear(self) -> None:
        self._rates.clear()
