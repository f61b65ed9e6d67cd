"""Response-time targets per ticket priority."""

from datetime import datetime, timedelta

SLA_HOURS = {"urgent": 4, "high": 8, "normal": 24, "low": 72}


def response_window(priority: str) -> timedelta:
    try:
        return timedelta(hours=SLA_HOURS[priority])
    except KeyError:
        raise ValueError(f"unknown priority: {priority}") from None


def due_at(start: datetime, priority: str) -> datetime:
    """Deadline for a ticket whose SLA clock started at `start`."""
    return start + response_window(priority)
