"""Inviting people to a team and accepting invitations."""

from collections.abc import Callable
from datetime import datetime, timedelta

from invites.codes import code_digest, new_code
from invites.store import Invitation, InvitationStore

VALIDITY = timedelta(days=7)
ROLES = frozenset({"member", "admin"})


class InvitationError(Exception):
    pass


class TeamInvites:
    def __init__(self, store: InvitationStore, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock
        self.members: dict[str, dict[str, str]] = {}

    def invite(self, team_id: str, email: str, role: str = "member") -> str:
        """Create an invitation and return the code to e-mail to the invitee."""
        if role not in ROLES:
            raise ValueError(f"unknown role: {role}")
        code = new_code()
        invitation = Invitation(team_id, email.strip().lower(), role, self._clock() + VALIDITY)
        self._store.add(code_digest(code), invitation)
        return code

    def accept(self, code: str, accepting_email: str) -> Invitation:
        """Join the team; the invitation must be addressed to the signed-in account."""
        invitation = self._store.take(code_digest(code))
        if invitation is None:
            raise InvitationError("unknown or already used invitation")
        if self._clock() > invitation.expires_at:
            raise InvitationError("invitation expired")
        if invitation.email != accepting_email.strip().lower():
            self._store.add(code_digest(code), invitation)
            raise InvitationError("invitation was sent to a different address")
        self.members.setdefault(invitation.team_id, {})[invitation.email] = invitation.role
        return invitation
