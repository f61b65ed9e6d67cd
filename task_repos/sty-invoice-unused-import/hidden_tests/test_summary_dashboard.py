from datetime import date
from decimal import Decimal

from invoices.summary import Invoice, largest, outstanding, revenue_by_month


def inv(number, customer, day, total, paid=False):
    return Invoice(number, customer, day, Decimal(total), paid)


def test_months_are_chronological():
    invoices = [inv("3", "a", date(2024, 12, 1), "1"), inv("1", "a", date(2023, 11, 5), "2")]
    assert list(revenue_by_month(invoices)) == ["2023-11", "2024-12"]


def test_fully_paid_customers_omitted():
    invoices = [inv("1", "acme", date(2024, 1, 1), "10", paid=True)]
    assert outstanding(invoices) == {}


def test_largest_with_ties():
    invoices = [
        inv("B", "x", date(2024, 1, 1), "50"),
        inv("A", "x", date(2024, 1, 1), "50"),
        inv("C", "x", date(2024, 1, 1), "75"),
        inv("D", "x", date(2024, 1, 1), "5"),
    ]
    assert largest(invoices) == ["C", "A", "B"]
    assert largest(invoices, count=1) == ["C"]


def test_empty_inputs():
    assert revenue_by_month([]) == {}
    assert largest([]) == []
