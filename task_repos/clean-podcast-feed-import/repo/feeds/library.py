"""Merging parsed feeds into a show's episode list."""

from feeds.models import Episode
from feeds.parser import parse_feed


class ShowLibrary:
    def __init__(self) -> None:
        self._episodes: dict[str, Episode] = {}

    def refresh(self, xml: bytes) -> int:
        """Merge a freshly fetched feed; returns the number of new episodes.

        Publishers often re-send every episode and sometimes fix titles later, so a known GUID
        updates the stored episode instead of adding a duplicate.
        """
        added = 0
        for episode in parse_feed(xml):
            if episode.guid not in self._episodes:
                added += 1
            self._episodes[episode.guid] = episode
        return added

    def latest(self, limit: int = 10) -> list[Episode]:
        """Newest episodes first."""
        ordered = sorted(self._episodes.values(), key=lambda e: (e.published, e.guid), reverse=True)
        return ordered[:max(0, limit)]
