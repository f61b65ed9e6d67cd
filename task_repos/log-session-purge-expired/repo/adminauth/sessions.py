"""In-memory session store for the admin console."""

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class Session:
    token: str
    user_id: int
    last_seen: datetime


class SessionStore:
    """Active admin sessions; a session expires after `idle_timeout` without activity.

    All methods take the current time explicitly so callers (and tests) control the clock.
    """

    def __init__(self, idle_timeout: timedelta) -> None:
        self.idle_timeout = idle_timeout
        self._sessions: dict[str, Session] = {}

    def open(self, token: str, user_id: int, now: datetime) -> Session:
        session = Session(token=token, user_id=user_id, last_seen=now)
        self._sessions[token] = session
        return session

    def touch(self, token: str, now: datetime) -> Session | None:
        """Return the live session for `token` and extend it, or None if unknown or expired."""
        session = self._sessions.get(token)
        if session is None or self._is_expired(session, now):
            return None
        session.last_seen = now
        return session

    def close(self, token: str) -> None:
        self._sessions.pop(token, None)

    def purge_expired(self, now: datetime) -> int:
        """Forget all expired sessions and return how many were removed."""
        removed = 0
        for token, session in self._sessions.items():
            if self._is_expired(session, now):
                del self._sessions[token]
                removed += 1
        return removed

    def active_users(self) -> set[int]:
        return {session.user_id for session in self._sessions.values()}

    def __len__(self) -> int:
        return len(self._sessions)

    def _is_expired(self, session: Session, now: datetime) -> bool:
        return now - session.last_seen > self.idle_timeout
