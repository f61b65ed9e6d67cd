"""Money formatting for reports."""


def format_cents(cents: int, currency: str = "EUR") -> str:
    """1234567 -> '12,345.67 EUR'."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{fraction:02d} {currency}"
