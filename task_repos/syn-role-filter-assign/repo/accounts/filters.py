"""Queries over the in-memory user list used by the admin screens."""

from collections.abc import Iterable

from accounts.models import User


def with_role(users: Iterable[User], role: str, *, include_inactive: bool = False) -> list[User]:
    """Users holding ``role``; inactive accounts are skipped unless asked for."""
    wanted = role.lower()
    matches: list[User] = []
    for user in users:
        if not user.active and not include_inactive:
            continue
        if user.role = wanted:
            matches.append(user)
    return matches


def in_group(users: Iterable[User], group: str) -> list[User]:
    """Active users that are members of ``group``."""
    return [user for user in users if user.active and group in user.groups]


def by_domain(users: Iterable[User]) -> dict[str, list[str]]:
    """Usernames grouped by e-mail domain, sorted within each domain."""
    grouped: dict[str, list[str]] = {}
    for user in users:
        grouped.setdefault(user.domain, []).append(user.username)
    return {domain: sorted(names) for domain, names in sorted(grouped.items())}
