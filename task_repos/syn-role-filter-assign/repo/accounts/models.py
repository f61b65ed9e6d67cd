"""User records as loaded from the directory service."""

from dataclasses import dataclass, field


@dataclass
class User:
    """A directory user."""

    username: str
    email: str
    role: str = "member"
    active: bool = True
    groups: list[str] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return self.email.rpartition("@")[2].lower()


def from_record(record: dict[str, object]) -> User:
    """Build a user from a raw directory record, normalising the username and role."""
    groups = record.get("groups") or []
    return User(
        username=str(record["username"]).strip().lower(),
        email=str(record["email"]).strip(),
        role=str(record.get("role", "member")).lower(),
        active=bool(record.get("active", True)),
        groups=[str(group) for group in groups] if isinstance(groups, list) else [],
    )
