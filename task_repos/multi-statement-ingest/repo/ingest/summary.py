"""Monthly summaries of categorised transactions."""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from ingest.models import Transaction


def totals_by_category(transactions: Iterable[Transaction]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for transaction in transactions:
        totals[transaction.category] += transaction.amount
    return dict(sorted(totals.items()))


def cash_flow(transactions: Iterable[Transaction]) -> tuple[Decimal, Decimal]:
    """(money in, money out) — money out is reported as a positive number."""
    incoming = Decimal("0")
    outgoing = Decimal("0")
    for transaction in transactions:
        if transaction.is_debit:
            outgoing -= transaction.amount
        else:
            incoming += transaction.amount
    return incoming, outgoing
