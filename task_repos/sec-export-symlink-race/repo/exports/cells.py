"""Conversion of report values to spreadsheet-safe CSV cells."""

from datetime import date
from decimal import Decimal

FORMULA_PREFIXES = ("=",)


def format_cell(value: object) -> str:
    """Render one value for a CSV file that finance opens in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text
