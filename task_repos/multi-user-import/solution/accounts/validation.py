"""Validation and normalisation of imported user records."""

import re
from dataclasses import dataclass
from typing import Any

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
KNOWN_ROLES = frozenset({"viewer", "editor", "billing", "admin"})


@dataclass(frozen=True)
class NewUser:
    email: str
    name: str
    roles: frozenset[str]


class InvalidUserError(ValueError):
    pass


def normalise_user(entry: dict[str, Any]) -> NewUser:
    """Check one import entry; e-mails are lower-cased, roles default to viewer."""
    email = str(entry.get("email", "")).strip().lower()
    if not EMAIL_RE.match(email):
        raise InvalidUserError(f"invalid e-mail: {email!r}")
    name = str(entry.get("name") or email.split("@")[0]).strip()
    raw_roles = entry.get("roles") or ["viewer"]
    if not isinstance(raw_roles, list):
        raise InvalidUserError(f"roles of {email} must be a list")
    roles = {str(role).strip().lower() for role in raw_roles}
    unknown = roles - KNOWN_ROLES
    if unknown:
        raise InvalidUserError(f"unknown roles for {email}: {', '.join(sorted(unknown))}")
    return NewUser(email, name, frozenset(roles))
