"""Audit events recorded for user-visible actions."""

from dataclasses import dataclass, field


@dataclass
class AuditEvent:
    """One audit trail entry."""

    action: str
    actor: str
    tags: list[str] = field(default_factory=list)
    details: dict[str, str] = field(default_factory=dict)

    def matches(self, tag: str) -> bool:
        return tag in self.tags


def make_event(action: str, actor: str, tags: list[str] = [], **details: str) -> AuditEvent:
    """Create an event; the action's area (``billing`` for ``billing.refund``) is added as a tag."""
    area = action.partition(".")[0]
    tags.append(f"area:{area}")
    if actor == "system":
        tags.append("automated")
    return AuditEvent(action=action, actor=actor, tags=tags, details=dict(details))


def filter_events(events: list[AuditEvent], tag: str) -> list[AuditEvent]:
    """Events carrying ``tag``, in their original order."""
    return [event for event in events if event.matches(tag)]
