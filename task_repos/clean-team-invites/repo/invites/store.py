"""Pending invitations keyed by code digest."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Invitation:
    team_id: str
    email: str
    role: str
    expires_at: datetime


class InvitationStore:
    def __init__(self) -> None:
        self._pending: dict[str, Invitation] = {}

    def add(self, digest: str, invitation: Invitation) -> None:
        self._pending[digest] = invitation

    def take(self, digest: str) -> Invitation | None:
        """Remove and return the invitation; each one can be accepted once."""
        return self._pending.pop(digest, None)

    def pending_for(self, team_id: str) -> list[Invitation]:
        return sorted(
            (inv for inv in self._pending.values() if inv.team_id == team_id),
            key=lambda inv: inv.email,
        )
