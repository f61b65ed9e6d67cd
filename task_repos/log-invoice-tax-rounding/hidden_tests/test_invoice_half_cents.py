from decimal import Decimal

import pytest

from billing.invoice import Line, invoice_totals, line_tax


@pytest.mark.parametrize(
    ("price", "rate", "expected"),
    [
        ("10.25", "0.10", "1.03"),
        ("2.50", "0.05", "0.13"),
        ("8.45", "0.10", "0.85"),
        ("1.50", "0.07", "0.11"),
        ("28.50", "0.19", "5.42"),
    ],
)
def test_half_cent_tax_rounds_up(price, rate, expected):
    assert line_tax(Line("Item", Decimal(price), 1, Decimal(rate))) == Decimal(expected)


def test_tax_is_exact_decimal():
    tax = line_tax(Line("Item", Decimal("10.25"), 1, Decimal("0.10")))
    assert isinstance(tax, Decimal)
    assert tax.as_tuple().exponent == -2


def test_totals_with_half_cent_lines():
    lines = [
        Line("A", Decimal("10.25"), 1, Decimal("0.10")),
        Line("B", Decimal("2.50"), 1, Decimal("0.05")),
    ]
    assert invoice_totals(lines) == {
        "net": Decimal("12.75"),
        "tax": Decimal("1.16"),
        "gross": Decimal("13.91"),
    }
