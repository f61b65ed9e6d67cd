from decimal import Decimal

import pytest

from ledger.money import format_amount, parse_amount


def test_parse_amount_with_thousands_separator():
    assert parse_amount("1,250.50") == Decimal("1250.50")


def test_parse_amount_rounds_to_cents():
    assert parse_amount("2.345") == Decimal("2.35")


def test_parse_amount_rejects_garbage():
    with pytest.raises(ValueError):
        parse_amount("twelve")


def test_format_amount():
    assert format_amount(Decimal("1234567.8")) == "1,234,567.80"
