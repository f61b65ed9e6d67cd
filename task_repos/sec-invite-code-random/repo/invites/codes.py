"""Invitation codes for team workspaces.

Codes are read out loud and typed by hand, so the alphabet leaves out look-alike characters
(0/O, 1/I) and codes are shown in groups of four, e.g. ``KX7P-M2QD-9HWT``.
"""

import random

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
GROUP = 4


def generate_code(length: int = CODE_LENGTH) -> str:
    """Return a new raw invitation code of ``length`` characters."""
    if length <= 0:
        raise ValueError("length must be positive")
    return "".join(random.choice(ALPHABET) for _ in range(length))


def format_code(code: str) -> str:
    """Insert dashes between groups of four characters for display."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalize(user_input: str) -> str:
    """Undo display formatting and the usual typing slips (case, spaces, dashes)."""
    return "".join(ch for ch in user_input.upper() if ch not in "- ")


class InviteBook:
    """Pending invitations of one workspace, keyed by code."""

    def __init__(self) -> None:
        self._pending: dict[str, str] = {}

    def issue(self, email: str) -> str:
        """Create an invitation for ``email`` and return its display code."""
        code = generate_code()
        while code in self._pending:
            code = generate_code()
        self._pending[code] = email
        return format_code(code)

    def redeem(self, user_input: str) -> str | None:
        """Consume a code and return the invited e-mail, or ``None`` if it is unknown."""
        return self._pending.pop(normalize(user_input), None)

    def __len__(self) -> int:
        return len(self._pending)
