"""Split an order line over warehouses in priority order."""

from dataclasses import dataclass

from fulfil.stock import InsufficientStockError, StockRepository


@dataclass(frozen=True)
class Allocation:
    warehouse: str
    sku: str
    quantity: int


def allocate(repo: StockRepository, sku: str, quantity: int) -> list[Allocation]:
    """Reserve `quantity` units of `sku`, filling from preferred warehouses first.

    Either the whole quantity is allocated or no stock is touched.
    """
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    if repo.total_on_hand(sku) < quantity:
        raise InsufficientStockError(f"cannot allocate {quantity} x {sku}")
    allocations: list[Allocation] = []
    remaining = quantity
    for warehouse in repo.by_priority():
        if remaining == 0:
            break
        available = repo.on_hand(warehouse.code, sku)
        if available == 0:
            continue
        take = min(available, remaining)
        repo.remove(warehouse.code, sku, available)
        allocations.append(Allocation(warehouse.code, sku, take))
        remaining -= take
    return allocations
