"""Self-service profile updates for the account settings API (PATCH /me)."""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_NAME = 80
MAX_BIO = 500
EDITABLE_FIELDS = frozenset({"email", "display_name", "bio", "timezone"})


@dataclass
class Account:
    id: int
    email: str
    display_name: str
    bio: str = ""
    timezone: str = "UTC"
    plan: str = "free"
    is_admin: bool = False
    email_verified: bool = False
    updated_at: datetime | None = None
    history: list[str] = field(default_factory=list)


def _validate(key: str, value: Any) -> None:
    if key == "display_name" and (not isinstance(value, str) or not 0 < len(value) <= MAX_NAME):
        raise ValueError("display_name must be 1-80 characters")
    if key == "bio" and (not isinstance(value, str) or len(value) > MAX_BIO):
        raise ValueError("bio must be at most 500 characters")
    if key == "email" and (not isinstance(value, str) or "@" not in value.strip("@")):
        raise ValueError("email must be an address")


def apply_update(account: Account, payload: dict[str, Any]) -> list[str]:
    """Apply a PATCH payload from the account owner; return the names of changed fields.

    Unknown fields are rejected with ValueError so client typos surface early.
    """
    changed: list[str] = []
    for key, value in payload.items():
        if key not in EDITABLE_FIELDS:
            raise ValueError(f"unknown or read-only field: {key}")
        _validate(key, value)
        if getattr(account, key) != value:
            setattr(account, key, value)
            changed.append(key)
    if "email" in changed:
        account.email_verified = False
    if changed:
        account.updated_at = datetime.now(UTC)
        account.history.append("updated " + ", ".join(sorted(changed)))
    return changed
