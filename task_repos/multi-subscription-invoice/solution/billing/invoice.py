"""Monthly invoice calculation for seat-based plans."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from billing.periods import billing_period
from billing.plans import Plan

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Invoice:
    plan: Plan
    seats: int
    period_start: date
    period_end: date
    subtotal: Decimal
    discount: Decimal
    tax: Decimal

    @property
    def total(self) -> Decimal:
        return self.subtotal - self.discount + self.tax


def _cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def build_invoice(
    plan: Plan,
    seats: int,
    anchor: date,
    cycle: int,
    discount_rate: Decimal = Decimal("0"),
    tax_rate: Decimal = Decimal("0"),
) -> Invoice:
    """Invoice for one billing cycle; the plan's minimum seat count is always charged."""
    if seats < 1:
        raise ValueError("at least one seat is required")
    if not Decimal("0") <= discount_rate < Decimal("1"):
        raise ValueError("discount rate must be in [0, 1)")
    billed_seats = max(seats, plan.min_seats)
    subtotal = _cents(plan.seat_price * billed_seats)
    discount = _cents(subtotal * discount_rate)
    tax = _cents((subtotal - discount) * tax_rate)
    start, end = billing_period(anchor, cycle)
    return Invoice(plan, billed_seats, start, end, subtotal, discount, tax)
