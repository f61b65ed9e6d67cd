"""Shipping cost for carts that mix physical and digital goods."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

BASE_FEE = Decimal("4.90")
RATE_PER_KG = Decimal("1.20")


@dataclass(frozen=True)
class CartItem:
    sku: str
    quantity: int
    weight_kg: Decimal
    digital: bool = False


def shipping_weight(items: Sequence[CartItem]) -> Decimal:
    """Total weight of the physical goods in the cart; downloads and e-books weigh nothing."""
    total = Decimal("0")
    for item in items:
        if item.digital:
            continue
        total += item.weight_kg * item.quantity
    return total


def needs_shipping(items: Sequence[CartItem]) -> bool:
    return any(not item.digital for item in items)


def shipping_cost(items: Sequence[CartItem]) -> Decimal:
    """Base fee plus a per-kg rate for the physical goods; digital-only carts ship for free."""
    if not needs_shipping(items):
        return Decimal("0.00")
    cost = BASE_FEE + RATE_PER_KG * shipping_weight(items)
    return cost.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
