from datetime import date
from decimal import Decimal

import pytest

from billing.formatting import render_invoice
from billing.invoice import build_invoice
from billing.periods import add_months, billing_period
from billing.plans import get_plan


def test_add_months_clamps_to_month_end():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 1, 31), 1) == date(2023, 2, 28)


def test_add_months_rolls_over_year():
    assert add_months(date(2024, 10, 31), 4) == date(2025, 2, 28)


def test_billing_period_bounds():
    assert billing_period(date(2024, 3, 15), 2) == (date(2024, 5, 15), date(2024, 6, 15))


def test_minimum_seats_charged():
    invoice = build_invoice(get_plan("team"), 1, date(2024, 3, 1), 0)
    assert invoice.seats == 3
    assert invoice.subtotal == Decimal("45.00")
    assert invoice.total == Decimal("45.00")


def test_tax_without_discount():
    invoice = build_invoice(get_plan("starter"), 2, date(2024, 3, 1), 0, tax_rate=Decimal("0.19"))
    assert invoice.tax == Decimal("3.42")
    assert invoice.total == Decimal("21.42")


def test_discount_only():
    invoice = build_invoice(get_plan("starter"), 10, date(2024, 3, 1), 0, discount_rate=Decimal("0.2"))
    assert invoice.total == Decimal("72.00")


def test_invalid_discount_rejected():
    with pytest.raises(ValueError):
        build_invoice(get_plan("starter"), 1, date(2024, 3, 1), 0, discount_rate=Decimal("1"))


def test_render_lists_amounts():
    invoice = build_invoice(get_plan("starter"), 2, date(2024, 3, 1), 0)
    text = render_invoice(invoice)
    assert text.splitlines()[0] == "Period 2024-03-01 to 2024-04-01"
    assert "Starter x 2 seats" in text
    assert "Discount" not in text
    assert text.splitlines()[-1].endswith("18.00 EUR")
