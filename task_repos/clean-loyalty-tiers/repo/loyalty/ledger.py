"""Points ledger with expiry."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from loyalty.earning import points_for_purchase
from loyalty.tiers import tier_for

VALIDITY = timedelta(days=365)


@dataclass(frozen=True)
class Entry:
    earned_on: date
    points: int


class PointsLedger:
    """Points of one member; each entry is valid for 365 days after the day it was earned."""

    def __init__(self) -> None:
        self._entries: list[Entry] = []

    def record(self, earned_on: date, points: int) -> None:
        if points <= 0:
            raise ValueError("only positive point entries are recorded")
        self._entries.append(Entry(earned_on, points))

    def balance(self, today: date) -> int:
        """Points that are still valid on `today` (valid through earned_on + 365 days)."""
        return sum(
            entry.points
            for entry in self._entries
            if entry.earned_on <= today <= entry.earned_on + VALIDITY
        )

    def record_purchase(self, day: date, amount: Decimal) -> int:
        """Book the points for a purchase at the member's current tier; returns the points."""
        points = points_for_purchase(amount, tier_for(self.balance(day)))
        if points:
            self.record(day, points)
        return points
