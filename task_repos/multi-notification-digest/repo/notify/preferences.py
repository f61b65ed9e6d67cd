"""Per-user notification preferences."""

from dataclasses import dataclass
from datetime import time

from notify.models import Event


@dataclass(frozen=True)
class Preferences:
    muted_channels: frozenset[str] = frozenset()
    quiet_start: time | None = None
    quiet_end: time | None = None

    def in_quiet_hours(self, moment: time) -> bool:
        """Quiet hours may wrap around midnight, e.g. 22:00-07:00."""
        if self.quiet_start is None or self.quiet_end is None:
            return False
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= moment < self.quiet_end
        return moment >= self.quiet_start or moment < self.quiet_end


def wanted(events: list[Event], prefs: Preferences) -> list[Event]:
    """Events the user still wants to hear about."""
    return [event for event in events if event.channel not in prefs.muted_channels]
