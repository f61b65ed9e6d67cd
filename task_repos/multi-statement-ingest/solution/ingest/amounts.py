"""Parsing of amounts as exported by the bank's CSV statements."""

from decimal import Decimal, InvalidOperation


def parse_amount(raw: str) -> Decimal:
    """Parse '1,234.50', '-12.00' or accounting-style '(12.00)' (a debit) into a Decimal."""
    text = raw.strip().replace(",", "").replace(" ", "")
    if not text:
        raise ValueError("empty amount")
    negative = text.startswith("-")
    digits = text.lstrip("-")
    if text.startswith("(") and text.endswith(")"):
        negative = True
        digits = text[1:-1]
    try:
        value = Decimal(digits)
    except InvalidOperation:
        raise ValueError(f"not an amount: {raw!r}") from None
    if not value.is_finite():
        raise ValueError(f"not an amount: {raw!r}")
    return -value if negative else value
