from decimal import Decimal

from ledger.balance import Entry, balances, entry_from_row


def test_entry_from_row_normalises_kind():
    entry = entry_from_row({"account": " cash ", "amount": "10.00", "kind": "Debit"})
    assert entry == Entry("cash", Decimal("10.00"), "debit")


def test_balances_debit_minus_credit():
    entries = [
        Entry("cash", Decimal("100.00"), "debit"),
        Entry("cash", Decimal("30.00"), "credit"),
    ]
    assert balances(entries) == {"cash": Decimal("70.00")}
