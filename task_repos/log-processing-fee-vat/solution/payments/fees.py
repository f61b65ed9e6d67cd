"""Card processing fees charged to merchants."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeeSchedule:
    """Pricing plan of a merchant account.

    percent:  share of the transaction amount, e.g. Decimal("0.029") for 2.9 %.
    fixed:    flat amount charged per transaction.
    vat_rate: VAT charged on the whole processing fee (0 for VAT-exempt merchants).
    """

    percent: Decimal
    fixed: Decimal
    vat_rate: Decimal = Decimal("0")


def processing_fee(amount: Decimal, schedule: FeeSchedule) -> Decimal:
    """Fee for one transaction of `amount`, VAT included, rounded to cents."""
    if amount < 0:
        raise ValueError("amount must be non-negative")
    fee = (amount * schedule.percent + schedule.fixed) * (1 + schedule.vat_rate)
    return fee.quantize(CENT, rounding=ROUND_HALF_UP)


def net_payout(amounts: list[Decimal], schedule: FeeSchedule) -> Decimal:
    """What the merchant receives for a settlement batch after processing fees."""
    gross = sum(amounts, Decimal("0"))
    fees = sum((processing_fee(amount, schedule) for amount in amounts), Decimal("0"))
    return gross - fees
