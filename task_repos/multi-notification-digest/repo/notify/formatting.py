"""Plain-text rendering of digests for e-mail."""

from notify.models import Event


def count_label(count: int, noun: str) -> str:
    """'1 comment', '3 comments'."""
    suffix = "s" if count > 0 else ""
    return f"{count} {noun}{suffix}"


def render_digest(name: str, digest: dict[str, list[Event]]) -> str:
    if not digest:
        return f"Hi {name}, nothing new today."
    total = sum(len(events) for events in digest.values())
    lines = [f"Hi {name}, you have {count_label(total, 'new notification')}:"]
    for channel in sorted(digest):
        events = digest[channel]
        lines.append(f"  #{channel} ({count_label(len(events), 'update')})")
        lines.extend(f"    - {event.title}" for event in events)
    return "\n".join(lines)
