import importlib
from datetime import date
from decimal import Decimal

import pytest


@pytest.fixture
def parser():
    return importlib.import_module("ingest.parser")


def test_bad_date_reports_line(parser):
    content = "Date,Counterparty,Amount\n01.03.2024,A,1.00\n2024-03-02,B,2.00\n"
    with pytest.raises(parser.StatementError, match="line 3"):
        parser.parse_statement(content)


def test_bad_amount_reports_line(parser):
    with pytest.raises(parser.StatementError, match="line 2"):
        parser.parse_statement("Date,Counterparty,Amount\n01.03.2024,A,lots\n")


def test_extra_columns_ignored(parser):
    content = "Date,Counterparty,Amount,Reference\n29.02.2024,Landlord,-950.00,RENT-03\n"
    [row] = parser.parse_statement(content)
    assert row.booked_on == date(2024, 2, 29)
    assert row.amount == Decimal("-950.00")
    assert row.is_debit


def test_empty_statement(parser):
    assert parser.parse_statement("Date,Counterparty,Amount\n") == []
