"""Webhook endpoint for payout status events."""

import json
import time
from collections.abc import Callable, Mapping

from payouts.ledger import PayoutLedger
from payouts.signature import SignatureError, verify_header

EVENT_STATUS = {
    "payout.paid": "paid",
    "payout.failed": "failed",
    "payout.cancelled": "cancelled",
    "payout.in_transit": "in_transit",
}


class PayoutWebhook:
    def __init__(
        self,
        key: bytes,
        ledger: PayoutLedger,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = key
        self._ledger = ledger
        self._clock = clock
        self._seen_events: set[str] = set()

    def handle(self, headers: Mapping[str, str], payload: bytes) -> int:
        header = headers.get("Payout-Signature", "")
        try:
            verify_header(self._key, header, payload, now=self._clock())
        except SignatureError:
            return 401
        try:
            event = json.loads(payload)
            event_id = str(event["id"])
            status = EVENT_STATUS.get(str(event["type"]))
            payout_id = str(event["data"]["payout_id"])
        except (ValueError, KeyError, TypeError):
            return 400
        if event_id in self._seen_events:
            return 200
        if status is not None:
            self._ledger.apply(payout_id, status)
        self._seen_events.add(event_id)
        return 200
