"""Stock records and pick-list helpers."""

from dataclasses import dataclass


@dataclass(frozen=True)
class StockItem:
    """A quantity of one SKU stored in one bin."""

    sku: str
    name: str
    quantity: int
    bin_code: str


def pick_order(items: list[StockItem]) -> list[StockItem]:
    """Order items by aisle and bin so a picker walks the warehouse once."""
    return sorted(items, key=lambda item: (item.bin_code.split("-")[0], item.bin_code, item.sku))


def low_stock(items: list[StockItem], threshold: int = 5) -> list[str]:
    """SKUs whose quantity is below ``threshold``."""
    return sorted(item.sku for item in items if item.quantity < threshold)
