import pytest

from fulfil.allocator import Allocation, allocate
from fulfil.stock import InsufficientStockError, StockRepository, Warehouse


def make_repo() -> StockRepository:
    return StockRepository([
        Warehouse("AMS", priority=1, levels={"MUG": 10}),
        Warehouse("BER", priority=2, levels={"MUG": 6}),
    ])


def test_partial_take_keeps_remainder():
    repo = make_repo()
    assert allocate(repo, "MUG", 4) == [Allocation("AMS", "MUG", 4)]
    assert repo.on_hand("AMS", "MUG") == 6
    assert repo.on_hand("BER", "MUG") == 6


def test_split_only_removes_what_is_allocated():
    repo = make_repo()
    allocate(repo, "MUG", 12)
    assert repo.on_hand("AMS", "MUG") == 0
    assert repo.on_hand("BER", "MUG") == 4
    assert repo.total_on_hand("MUG") == 4


def test_consecutive_orders_share_stock():
    repo = make_repo()
    allocate(repo, "MUG", 2)
    allocate(repo, "MUG", 2)
    second = allocate(repo, "MUG", 5)
    assert second == [Allocation("AMS", "MUG", 5)]
    assert repo.total_on_hand("MUG") == 7


def test_all_or_nothing_when_short():
    repo = make_repo()
    with pytest.raises(InsufficientStockError):
        allocate(repo, "MUG", 17)
    assert repo.total_on_hand("MUG") == 16
