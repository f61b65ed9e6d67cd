from decimal import Decimal

import pytest

from fx.cache import RateCache


class FakeProvider:
    RATES = {("EUR", "USD"): Decimal("1.0850"), ("EUR", "JPY"): Decimal("162.31"), ("USD", "EUR"): Decimal("0.9217")}

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def fetch(self, base, quote):
        self.calls.append((base, quote))
        return self.RATES[(base, quote)]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def provider():
    return FakeProvider()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def cache(provider, clock):
    return RateCache(provider, ttl=300, clock=clock)
