from decimal import Decimal

import pytest

from billing.invoice import Line, invoice_totals, line_net, line_tax, to_cents


def test_to_cents_rounds_half_up():
    assert to_cents(Decimal("2.345")) == Decimal("2.35")


def test_line_net():
    assert line_net(Line("Widget", Decimal("19.99"), 3, Decimal("0.19"))) == Decimal("59.97")


def test_line_tax_regular_rate():
    assert line_tax(Line("Widget", Decimal("19.99"), 1, Decimal("0.19"))) == Decimal("3.80")


def test_zero_rate_line():
    assert line_tax(Line("Book", Decimal("12.00"), 2, Decimal("0"))) == Decimal("0")


def test_negative_quantity_rejected():
    with pytest.raises(ValueError):
        line_net(Line("Widget", Decimal("1.00"), -1, Decimal("0.19")))


def test_invoice_totals():
    lines = [
        Line("Widget", Decimal("19.99"), 1, Decimal("0.19")),
        Line("Book", Decimal("12.00"), 2, Decimal("0.07")),
    ]
    assert invoice_totals(lines) == {
        "net": Decimal("43.99"),
        "tax": Decimal("5.48"),
        "gross": Decimal("49.47"),
    }


def test_empty_invoice():
    assert invoice_totals([]) == {"net": Decimal("0"), "tax": Decimal("0"), "gross": Decimal("0")}
