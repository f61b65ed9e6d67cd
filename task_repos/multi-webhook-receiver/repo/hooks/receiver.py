"""HTTP-facing entry point: turns a raw delivery into a status code."""

import json
import logging
import time
from collections.abc import Callable, Mapping

from hooks.events import EventProcessor
from hooks.signing import verify

logger = logging.getLogger(__name__)


class WebhookReceiver:
    def __init__(
        self,
        signing_key: bytes,
        processor: EventProcessor,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = signing_key
        self._processor = processor
        self._clock = clock

    def handle(self, headers: Mapping[str, str], body: bytes) -> int:
        """Return the HTTP status for one delivery (2xx acknowledges it)."""
        timestamp = headers.get("X-Hook-Timestamp")
        signature = headers.get("X-Hook-Signature")
        if not timestamp or not signature:
            return 400
        if not verify(self._key, timestamp, body, signature, now=self._clock()):
            return 401
        try:
            event = json.loads(body)
        except json.JSONDecodeError:
            return 400
        try:
            handled = self._processor.process(event)
        except Exception:
            logger.exception("handler failed for event %s", event.get("id"))
            return 500
        return 200 if handled else 208
