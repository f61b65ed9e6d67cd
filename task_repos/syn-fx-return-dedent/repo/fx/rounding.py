"""Currency-aware rounding."""

from decimal import ROUND_HALF_EVEN, Decimal

MINOR_UNITS = {"JPY": 0, "KWD": 3}


def minor_units(currency: str) -> int:
    """Number of decimals used by ``currency`` (two unless listed otherwise)."""
    return MINOR_UNITS.get(currency.upper(), 2)


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Round ``amount`` to the currency's minor unit using banker's rounding."""
    exponent = Decimal(1).scaleb(-minor_units(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_EVEN)
