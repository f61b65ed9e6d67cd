"""Payout status ledger updated from webhook events."""

from dataclasses import dataclass

FINAL_STATUSES = frozenset({"paid", "failed", "cancelled"})


@dataclass
class Payout:
    payout_id: str
    status: str = "pending"


class PayoutLedger:
    def __init__(self) -> None:
        self._payouts: dict[str, Payout] = {}

    def get(self, payout_id: str) -> Payout:
        return self._payouts.setdefault(payout_id, Payout(payout_id))

    def apply(self, payout_id: str, status: str) -> bool:
        """Move a payout to `status`; final statuses are never changed again."""
        payout = self.get(payout_id)
        if payout.status in FINAL_STATUSES:
            return False
        payout.status = status
        return True
