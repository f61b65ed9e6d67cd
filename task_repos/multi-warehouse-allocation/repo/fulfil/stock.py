"""In-memory stock levels per warehouse."""

from dataclasses import dataclass, field


class InsufficientStockError(Exception):
    """Raised when stock cannot cover a requested quantity."""


@dataclass
class Warehouse:
    code: str
    priority: int
    levels: dict[str, int] = field(default_factory=dict)


class StockRepository:
    """Keeps the on-hand quantity of every SKU in every warehouse."""

    def __init__(self, warehouses: list[Warehouse]) -> None:
        self._warehouses = {warehouse.code: warehouse for warehouse in warehouses}

    def by_priority(self) -> list[Warehouse]:
        """Warehouses from most to least preferred (lowest priority number first)."""
        return sorted(self._warehouses.values(), key=lambda w: (w.priority, w.code))

    def on_hand(self, code: str, sku: str) -> int:
        return self._warehouses[code].levels.get(sku, 0)

    def total_on_hand(self, sku: str) -> int:
        return sum(w.levels.get(sku, 0) for w in self._warehouses.values())

    def remove(self, code: str, sku: str, quantity: int) -> None:
        """Take `quantity` units of `sku` out of warehouse `code`."""
        if quantity <= 0:
            raise ValueError("quantity must be positive")
        current = self.on_hand(code, sku)
        if quantity > current:
            raise InsufficientStockError(f"{code} holds {current} x {sku}, {quantity} requested")
        self._warehouses[code].levels[sku] = current - quantity
