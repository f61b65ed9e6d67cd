from decimal import Decimal

import pytest

PRICES = {
    ("MUG", "EUR"): Decimal("8.00"),
    ("MUG", "USD"): Decimal("8.70"),
    ("MUG", "GBP"): Decimal("6.90"),
    ("TEE", "EUR"): Decimal("19.00"),
    ("TEE", "USD"): Decimal("20.50"),
}


class FakeBackend:
    def __init__(self) -> None:
        self.prices = dict(PRICES)
        self.calls: list[tuple[str, str]] = []

    def __call__(self, sku: str, currency: str) -> Decimal:
        self.calls.append((sku, currency))
        return self.prices[(sku, currency)]


@pytest.fixture
def backend():
    return FakeBackend()
