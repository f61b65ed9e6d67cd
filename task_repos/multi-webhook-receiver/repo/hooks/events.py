"""Dispatch of verified webhook events to registered handlers."""

from collections.abc import Callable
from typing import Any

Handler = Callable[[dict[str, Any]], None]


class EventProcessor:
    """Runs one handler per event type and skips events that were already handled."""

    def __init__(self) -> None:
        self._handlers: dict[str, Handler] = {}
        self._processed: set[str] = set()

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        """Decorator registering a handler for `event_type`."""

        def register(handler: Handler) -> Handler:
            self._handlers[event_type] = handler
            return handler

        return register

    def process(self, event: dict[str, Any]) -> bool:
        """Handle `event`; returns False if it is a duplicate delivery.

        Exceptions from the handler propagate so the sender retries the delivery.
        """
        event_id = str(event["id"])
        if event_id in self._processed:
            return False
        self._processed.add(event_id)
        handler = self._handlers.get(str(event["type"]))
        if handler is not None:
            handler(event.get("data", {}))
        return True

    def seen(self, event_id: str) -> bool:
        return event_id in self._processed
