import json
from decimal import Decimal

import pytest

from fulfil.allocator import Allocation, allocate
from fulfil.shipping import ShippingQuoter
from fulfil.stock import InsufficientStockError, StockRepository, Warehouse


def make_repo() -> StockRepository:
    return StockRepository([
        Warehouse("BER", priority=2, levels={"MUG": 5}),
        Warehouse("AMS", priority=1, levels={"MUG": 3, "CAP": 4}),
        Warehouse("MAD", priority=3, levels={"MUG": 10}),
    ])


def test_fills_preferred_warehouse_first():
    repo = make_repo()
    result = allocate(repo, "MUG", 6)
    assert result == [Allocation("AMS", "MUG", 3), Allocation("BER", "MUG", 3)]


def test_insufficient_stock_touches_nothing():
    repo = make_repo()
    with pytest.raises(InsufficientStockError):
        allocate(repo, "CAP", 5)
    assert repo.on_hand("AMS", "CAP") == 4


def test_exact_warehouse_quantity_empties_it():
    repo = make_repo()
    allocate(repo, "MUG", 3)
    assert repo.on_hand("AMS", "MUG") == 0
    assert repo.total_on_hand("MUG") == 15


def test_rejects_non_positive_quantity():
    with pytest.raises(ValueError):
        allocate(make_repo(), "MUG", 0)


@pytest.fixture
def rate_card(tmp_path):
    path = tmp_path / "rates.json"
    path.write_text(json.dumps({"bands": [
        {"max_kg": 5, "price": "7.90"},
        {"max_kg": 1, "price": "3.50"},
        {"max_kg": 20, "price": "14.00"},
    ]}))
    return path


def test_parcel_uses_lightest_fitting_band(rate_card):
    quoter = ShippingQuoter(rate_card)
    assert quoter.parcel_cost(Decimal("0.4")) == Decimal("3.50")
    assert quoter.parcel_cost(Decimal("5")) == Decimal("7.90")
    assert quoter.parcel_cost(Decimal("5.01")) == Decimal("14.00")


def test_quote_sums_batch(rate_card):
    quoter = ShippingQuoter(rate_card)
    assert quoter.quote([Decimal("1"), Decimal("2"), Decimal("19")]) == Decimal("25.40")


def test_overweight_parcel_rejected(rate_card):
    with pytest.raises(ValueError):
        ShippingQuoter(rate_card).parcel_cost(Decimal("21"))
