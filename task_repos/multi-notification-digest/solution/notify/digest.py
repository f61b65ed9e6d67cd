"""Grouping of a user's pending events into a digest."""

from notify.models import Event


def group_by_channel(
    events: list[Event], groups: dict[str, list[Event]] | None = None
) -> dict[str, list[Event]]:
    """Events per channel, each channel's events oldest first.

    Pass `groups` to extend an existing grouping.
    """
    if groups is None:
        groups = {}
    for event in sorted(events, key=lambda e: e.created_at):
        groups.setdefault(event.channel, []).append(event)
    return groups


def digest_for(user_id: str, events: list[Event]) -> dict[str, list[Event]]:
    """The digest of one user: only their own events, grouped per channel."""
    return group_by_channel([event for event in events if event.user_id == user_id])
