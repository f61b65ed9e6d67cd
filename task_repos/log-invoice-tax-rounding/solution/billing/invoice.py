"""Invoice lines and totals."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    description: str
    unit_price: Decimal
    quantity: int
    tax_rate: Decimal  # e.g. Decimal("0.19") for 19 %


def to_cents(amount: Decimal) -> Decimal:
    """Round a money amount to cents, halves away from zero (commercial rounding)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def line_net(line: Line) -> Decimal:
    """Net amount of one line, rounded to cents."""
    if line.quantity < 0:
        raise ValueError("quantity must be non-negative")
    return to_cents(line.unit_price * line.quantity)


def line_tax(line: Line) -> Decimal:
    """Tax of one line, computed on the rounded net amount and rounded commercially to cents."""
    return to_cents(line_net(line) * line.tax_rate)


def invoice_totals(lines: list[Line]) -> dict[str, Decimal]:
    """Net, tax and gross totals of an invoice; each is the sum of the per-line amounts."""
    net = sum((line_net(line) for line in lines), Decimal("0"))
    tax = sum((line_tax(line) for line in lines), Decimal("0"))
    return {"net": net, "tax": tax, "gross": net + tax}
