import importlib
from datetime import date
from decimal import Decimal

import pytest

from ingest.amounts import parse_amount
from ingest.models import Transaction
from ingest.summary import cash_flow, totals_by_category


@pytest.fixture
def parser():
    return importlib.import_module("ingest.parser")


def test_parse_plain_amounts():
    assert parse_amount("1,234.50") == Decimal("1234.50")
    assert parse_amount(" -12.00 ") == Decimal("-12.00")


def test_parse_rejects_garbage():
    for raw in ("", "abc", "NaN"):
        with pytest.raises(ValueError):
            parse_amount(raw)


def test_statement_rows(parser):
    content = "Date,Counterparty,Amount\n01.03.2024, ACME GmbH ,\"2,500.00\"\n03.03.2024,Bakery,-4.20\n"
    rows = parser.parse_statement(content)
    assert rows == [
        Transaction(date(2024, 3, 1), "ACME GmbH", Decimal("2500.00")),
        Transaction(date(2024, 3, 3), "Bakery", Decimal("-4.20")),
    ]


def test_missing_column(parser):
    with pytest.raises(parser.StatementError):
        parser.parse_statement("Date,Amount\n01.03.2024,1.00\n")


def test_summary():
    txs = [
        Transaction(date(2024, 3, 1), "ACME", Decimal("100"), "salary"),
        Transaction(date(2024, 3, 2), "Shop", Decimal("-30"), "groceries"),
        Transaction(date(2024, 3, 3), "Shop", Decimal("-5"), "groceries"),
    ]
    assert totals_by_category(txs) == {"groceries": Decimal("-35"), "salary": Decimal("100")}
    assert cash_flow(txs) == (Decimal("100"), Decimal("35"))
