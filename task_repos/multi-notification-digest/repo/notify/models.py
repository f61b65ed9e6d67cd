"""Notification events collected for the daily digest."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Event:
    user_id: str
    channel: str
    title: str
    created_at: datetime
