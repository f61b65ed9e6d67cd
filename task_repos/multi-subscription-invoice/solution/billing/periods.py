"""Billing period arithmetic."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """Same day of the month `months` later, clamped to the end of shorter months."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 + months
    year = day.year + index // 12
    month = index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def billing_period(anchor: date, cycle: int) -> tuple[date, date]:
    """Start (inclusive) and end (exclusive) of billing cycle number `cycle`, counted from 0."""
    return add_months(anchor, cycle), add_months(anchor, cycle + 1)
