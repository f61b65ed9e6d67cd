"""Podcast episodes as stored in the library."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Episode:
    guid: str
    title: str
    audio_url: str
    published: datetime
    duration_seconds: int | None = None
