"""Unit pricing with bulk discount tiers."""

from decimal import ROUND_HALF_UP, Decimal

TIERS = [(50, Decimal("0.12")), (10, Decimal("0.05"))]


def discount_rate(quantity: int) -> Decimal:
    """Return the discount rate for buying `quantity` units of one item."""
    if quantity < 0:
        raise ValueError("quantity must be non-negative")
    for threshold, rate in TIERS:
        if quantity >= threshold:
            return rate
    return Decimal("0")


def line_total(unit_price: Decimal, quantity: int) -> Decimal:
    """Price of one cart line after the bulk discount, rounded to cents."""
    gross = unit_price * quantity
    net = gross * (1 - discount_rate(quantity))
    return net.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def cart_total(lines: list[tuple[Decimal, int]]) -> Decimal:
    """Sum of all cart lines."""
    return sum((line_total(price, qty) for price, qty in lines), Decimal("0"))
