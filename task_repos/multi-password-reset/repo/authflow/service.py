"""Password-reset flow: request a link, then set a new password with it."""

from collections.abc import Callable
from datetime import datetime

from authflow.policy import is_expired
from authflow.store import ResetRecord, ResetTokenStore
from authflow.tokens import generate_token, token_digest


class ResetError(Exception):
    """The reset link is unknown, used or expired."""


class PasswordResetService:
    def __init__(
        self,
        store: ResetTokenStore,
        set_password: Callable[[str, str], None],
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._set_password = set_password
        self._clock = clock

    def request_reset(self, email: str) -> str:
        """Issue a token for `email`; older tokens of the account stop working."""
        email = email.strip().lower()
        self._store.revoke_for(email)
        token = generate_token()
        self._store.save(token_digest(token), ResetRecord(email, self._clock()))
        return token

    def reset_password(self, token: str, new_password: str) -> str:
        """Set `new_password` for the account the token was issued to; returns the e-mail."""
        if len(new_password) < 12:
            raise ValueError("passwords need at least 12 characters")
        record = self._store.redeem(token_digest(token))
        if record is None or is_expired(record.issued_at, self._clock()):
            raise ResetError("reset link is invalid or has expired")
        self._set_password(record.email, new_password)
        return record.email
