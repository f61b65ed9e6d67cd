"""Small TTL cache for rendered fragments, driven by an injectable clock."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Entry:
    value: str
    expires_at: float


class FragmentCache:
    """Maps keys to rendered HTML fragments that expire after ``ttl`` seconds."""

    def __init__(self, ttl: float, clock: Callable[[], float]) -> None:
        if ttl <= 0:
            raise ValueError("ttl must be positive")
        self._ttl = ttl
        self._clock = clock
        self._entries: dict[str, _Entry] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def put(self, key: str, value: str) -> None:
        self._entries[key] = _Entry(value, self._clock() + self._ttl)

    def get(self, key: str) -> str | None:
        """The cached fragment, or None when it is missing or expired."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at <= self._clock():
            self.invalidate(key)
            return None
        return entry.value

    def invalidate(self, key: str) -> None:
        """Drop ``key``; dropping a key that is not cached is not an error."""
        self._entries.pop(key, None)

    def invalidate_prefix(self, prefix: str) -> int:
        """Drop every key starting with ``prefix`` and return how many were dropped."""
        doomed = [key for key in self._entries if key.startswith(prefix)]
        for key in doomed:
            self.invalidate(key)
        return len(doomed)
