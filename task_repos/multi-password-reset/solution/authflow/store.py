"""Storage of issued reset tokens (hashed)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ResetRecord:
    email: str
    issued_at: datetime


class ResetTokenStore:
    """Maps token digests to the account and time they were issued for."""

    def __init__(self) -> None:
        self._records: dict[str, ResetRecord] = {}

    def save(self, digest: str, record: ResetRecord) -> None:
        self._records[digest] = record

    def redeem(self, digest: str) -> ResetRecord | None:
        """Look up the record for a presented token; a token can be redeemed once."""
        return self._records.pop(digest, None)

    def revoke_for(self, email: str) -> int:
        """Invalidate every outstanding token of `email`; returns how many were dropped."""
        stale = [digest for digest, record in self._records.items() if record.email == email]
        for digest in stale:
            del self._records[digest]
        return len(stale)
