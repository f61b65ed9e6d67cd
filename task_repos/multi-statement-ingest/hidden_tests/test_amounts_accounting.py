from datetime import date
from decimal import Decimal

import pytest

from ingest.amounts import parse_amount
from ingest.models import Transaction
from ingest.summary import cash_flow


def test_parentheses_mean_debit():
    assert parse_amount("(12.00)") == Decimal("-12.00")
    assert parse_amount("(1,250.75)") == Decimal("-1250.75")


def test_parenthesised_debit_counts_as_outgoing():
    amount = parse_amount(" (40.00) ")
    tx = Transaction(date(2024, 3, 4), "Refund reversal", amount)
    assert tx.is_debit
    assert cash_flow([tx]) == (Decimal("0"), Decimal("40.00"))


def test_plain_values_unchanged():
    assert parse_amount("0.99") == Decimal("0.99")
    assert parse_amount("-0.99") == Decimal("-0.99")


def test_unbalanced_parenthesis_rejected():
    with pytest.raises(ValueError):
        parse_amount("(12.00")
