from datetime import date
from decimal import Decimal

from billing.invoice import build_invoice
from billing.periods import add_months, billing_period
from billing.plans import get_plan


def test_november_to_december():
    assert add_months(date(2024, 11, 15), 1) == date(2024, 12, 15)


def test_december_anchor_zero_months():
    assert add_months(date(2024, 12, 31), 0) == date(2024, 12, 31)


def test_twelve_months_later():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert add_months(date(2023, 6, 30), 18) == date(2024, 12, 30)


def test_period_ending_in_december():
    assert billing_period(date(2024, 1, 31), 10) == (date(2024, 11, 30), date(2024, 12, 31))


def test_invoice_for_december_cycle():
    invoice = build_invoice(get_plan("starter"), 1, date(2024, 12, 5), 0)
    assert (invoice.period_start, invoice.period_end) == (date(2024, 12, 5), date(2025, 1, 5))
    assert invoice.total == Decimal("9.00")


def test_january_rollover_unchanged():
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)
