"""Parsing and formatting of monetary amounts."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def parse_amount(text: str) -> Decimal:
    """Parse an amount such as ``"1,250.50"`` or ``"-3"`` into a Decimal rounded to cents."""
    cleaned = text.strip().replace(",", "")
    if not cleaned:
        raise ValueError("empty amount")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def format_amount(value: Decimal) -> str:
    """Format an amount with thousands separators and two decimals."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"
