"""Ticket model shared by the helpdesk modules."""

from dataclasses import dataclass, field
from datetime import datetime

OPEN_STATUSES = frozenset({"new", "open", "waiting_on_customer"})


@dataclass
class Ticket:
    reference: str
    subject: str
    priority: str
    opened_at: datetime
    last_activity: datetime
    status: str = "new"
    escalated: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
