"""Receiver for signed webhook deliveries from the payment provider."""

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from typing import Any

SIGNATURE_HEADER = "X-Webhook-Signature"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
MAX_CLOCK_SKEW = 300

Handler = Callable[[dict[str, Any]], None]


def compute_signature(key: bytes, timestamp: str, body: bytes) -> str:
    """Signature the provider sends for ``body`` delivered at ``timestamp``."""
    mac = hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify_delivery(
    key: bytes, headers: Mapping[str, str], body: bytes, now: float | None = None
) -> bool:
    """Return True when the delivery is recent and carries a valid signature."""
    timestamp = headers.get(TIMESTAMP_HEADER, "")
    signature = headers.get(SIGNATURE_HEADER, "")
    if not (timestamp.isascii() and timestamp.isdigit()) or not signature:
        return False
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > MAX_CLOCK_SKEW:
        return False
    expected = compute_signature(key, timestamp, body)
    return signature == expected


class WebhookReceiver:
    """Verifies deliveries and dispatches their events to registered handlers."""

    def __init__(self, key: bytes, clock: Callable[[], float] = time.time) -> None:
        self._key = key
        self._clock = clock
        self._handlers: dict[str, list[Handler]] = {}

    def on(self, event_type: str, handler: Handler) -> None:
        """Register ``handler`` for events of ``event_type``."""
        self._handlers.setdefault(event_type, []).append(handler)

    def handle(self, headers: Mapping[str, str], body: bytes) -> int:
        """Process one delivery and return the HTTP status to answer with."""
        if not verify_delivery(self._key, headers, body, now=self._clock()):
            return 401
        try:
            event = json.loads(body)
        except ValueError:
            return 400
        if not isinstance(event, dict) or "type" not in event:
            return 400
        for handler in self._handlers.get(event["type"], []):
            handler(event)
        return 204
