"""Text for the shelf and parcel labels printed by the thermal printers."""

from warehouse.stock import StockItem

LABEL_WIDTH = 32


def shorten(text: str, width: int = LABEL_WIDTH) -> str:
    """Cut ``text`` to ``width`` characters, marking the cut with an ellipsis."""
    if len(text) <= width:
        return text
    return text[: width - 1] + "…"


def shelf_label(item: StockItem) -> str:
    """Two-line label: the product name, then SKU, quantity and bin."""
    first = shorten(item.name)
    second = shorten(f'{item.sku} x{item.quantity} @ {item.bin_code}")
    return f"{first}\n{second}"


def pick_list(items: list[StockItem]) -> str:
    """One numbered line per item, in the order given."""
    return "\n".join(
        f"{index:>3}. {shorten(item.name, 20):<20} {item.quantity:>4}  {item.bin_code}"
        for index, item in enumerate(items, start=1)
    )
