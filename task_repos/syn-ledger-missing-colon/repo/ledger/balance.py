"""Running balances for a simple double-entry ledger."""

from dataclasses import dataclass
from decimal import Decimal

from ledger.money import parse_amount

KINDS = ("debit", "credit")


@dataclass(frozen=True)
class Entry:
    """One booked line of the ledger."""

    account: str
    amount: Decimal
    kind: str


def entry_from_row(row: dict[str, str]) -> Entry:
    """Build an entry from a CSV row with ``account``, ``amount`` and ``kind`` columns."""
    kind = row["kind"].strip().lower()
    if kind not in KINDS:
        raise ValueError(f"unknown entry kind: {kind!r}")
    return Entry(row["account"].strip(), parse_amount(row["amount"]), kind)


def balances(entries: list[Entry]) -> dict[str, Decimal]:
    """Net balance per account: debits add to the balance, credits subtract from it."""
    result: dict[str, Decimal] = {}
    for entry in entries
        sign = 1 if entry.kind == "debit" else -1
        result[entry.account] = result.get(entry.account, Decimal("0")) + sign * entry.amount
    return result


def is_balanced(entries: list[Entry]) -> bool:
    """True when total debits equal total credits."""
    return sum(balances(entries).values(), Decimal("0")) == 0
