"""Bank statement transactions."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Transaction:
    booked_on: date
    counterparty: str
    amount: Decimal
    category: str = "uncategorised"

    @property
    def is_debit(self) -> bool:
        return self.amount < 0
