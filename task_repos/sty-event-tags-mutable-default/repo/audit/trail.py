"""In-memory audit trail with simple export."""

import json

from audit.events import AuditEvent


class AuditTrail:
    """Append-only list of audit events."""

    def __init__(self) -> None:
        self._events: list[AuditEvent] = []

    def record(self, event: AuditEvent) -> None:
        self._events.append(event)

    def by_actor(self, actor: str) -> list[AuditEvent]:
        return [event for event in self._events if event.actor == actor]

    def export_json(self) -> str:
        """JSON lines, one object per event."""
        return "\n".join(
            json.dumps(
                {"action": e.action, "actor": e.actor, "tags": e.tags, "details": e.details},
                sort_keys=True,
            )
            for e in self._events
        )
