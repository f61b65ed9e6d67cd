from datetime import date
from decimal import Decimal

from invoices.summary import Invoice, month_key, outstanding, revenue_by_month

INVOICES = [
    Invoice("2024-001", "acme", date(2024, 1, 15), Decimal("100.00"), paid=True),
    Invoice("2024-002", "globex", date(2024, 1, 20), Decimal("250.00")),
    Invoice("2024-003", "acme", date(2024, 2, 2), Decimal("80.50")),
]


def test_month_key():
    assert month_key(date(2024, 3, 9)) == "2024-03"


def test_revenue_by_month():
    assert revenue_by_month(INVOICES) == {"2024-01": Decimal("350.00"), "2024-02": Decimal("80.50")}


def test_outstanding_per_customer():
    assert outstanding(INVOICES) == {"acme": Decimal("80.50"), "globex": Decimal("250.00")}
