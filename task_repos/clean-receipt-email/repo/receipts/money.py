"""Money helpers for receipts."""

from decimal import ROUND_HALF_UP, Decimal

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


def to_cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def display(amount: Decimal, currency: str) -> str:
    symbol = SYMBOLS.get(currency, currency + " ")
    return f"{symbol}{to_cents(amount):,.2f}"
