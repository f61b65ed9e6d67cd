"""Monthly invoice summaries for the finance dashboard."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Invoice:
    """An issued invoice."""

    number: str
    customer: str
    issued: date
    total: Decimal
    paid: bool = False


def month_key(day: date) -> str:
    """``YYYY-MM`` key used to bucket invoices."""
    return f"{day.year:04d}-{day.month:02d}"


def revenue_by_month(invoices: list[Invoice]) -> dict[str, Decimal]:
    """Invoiced totals per month, months in chronological order."""
    totals: dict[str, Decimal] = {}
    for invoice in invoices:
        key = month_key(invoice.issued)
        totals[key] = totals.get(key, Decimal("0")) + invoice.total
    return dict(sorted(totals.items()))


def outstanding(invoices: list[Invoice]) -> dict[str, Decimal]:
    """Unpaid amount per customer, customers sorted by name."""
    per_customer: dict[str, Decimal] = {}
    for invoice in invoices:
        if not invoice.paid:
            per_customer[invoice.customer] = per_customer.get(invoice.customer, Decimal("0")) + invoice.total
    return dict(sorted(per_customer.items()))


def largest(invoices: list[Invoice], count: int = 3) -> list[str]:
    """Numbers of the ``count`` largest invoices, largest first (ties by number)."""
    ranked = sorted(invoices, key=lambda invoice: (-invoice.total, invoice.number))
    return [invoice.number for invoice in ranked[:count]]
