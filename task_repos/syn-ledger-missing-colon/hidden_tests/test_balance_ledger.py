from decimal import Decimal

import pytest

from ledger.balance import Entry, balances, entry_from_row, is_balanced


def test_balances_per_account():
    entries = [
        Entry("cash", Decimal("50.00"), "debit"),
        Entry("revenue", Decimal("50.00"), "credit"),
        Entry("cash", Decimal("20.00"), "debit"),
        Entry("revenue", Decimal("20.00"), "credit"),
    ]
    assert balances(entries) == {"cash": Decimal("70.00"), "revenue": Decimal("-70.00")}


def test_balanced_journal():
    rows = [
        {"account": "cash", "amount": "1,000.00", "kind": "debit"},
        {"account": "equity", "amount": "1,000.00", "kind": "credit"},
    ]
    assert is_balanced([entry_from_row(r) for r in rows])


def test_unbalanced_journal():
    entries = [Entry("cash", Decimal("5.00"), "debit")]
    assert not is_balanced(entries)


def test_empty_ledger_has_no_balances():
    assert balances([]) == {}


def test_unknown_kind_rejected():
    with pytest.raises(ValueError):
        entry_from_row({"account": "cash", "amount": "1", "kind": "transfer"})
