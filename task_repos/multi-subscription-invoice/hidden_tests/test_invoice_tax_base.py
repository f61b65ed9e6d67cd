from datetime import date
from decimal import Decimal

from billing.invoice import build_invoice
from billing.plans import get_plan


def test_tax_charged_on_discounted_amount():
    invoice = build_invoice(
        get_plan("business"), 10, date(2024, 4, 1), 0,
        discount_rate=Decimal("0.10"), tax_rate=Decimal("0.20"),
    )
    assert invoice.subtotal == Decimal("290.00")
    assert invoice.discount == Decimal("29.00")
    assert invoice.tax == Decimal("52.20")
    assert invoice.total == Decimal("313.20")


def test_tax_rounding_after_discount():
    invoice = build_invoice(
        get_plan("starter"), 3, date(2024, 4, 1), 0,
        discount_rate=Decimal("0.15"), tax_rate=Decimal("0.19"),
    )
    assert invoice.discount == Decimal("4.05")
    assert invoice.tax == Decimal("4.36")
    assert invoice.total == Decimal("27.31")


def test_no_discount_unchanged():
    invoice = build_invoice(get_plan("team"), 4, date(2024, 4, 1), 0, tax_rate=Decimal("0.10"))
    assert invoice.total == Decimal("66.00")
