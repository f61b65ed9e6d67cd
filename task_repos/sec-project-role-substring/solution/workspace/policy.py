"""Authorization rules for organisation workspaces."""

from dataclasses import dataclass

MANAGER_ROLE = "admin"
EDITOR_ROLES = frozenset({"admin", "editor"})


@dataclass(frozen=True)
class Member:
    """The signed-in user's membership in one organisation.

    ``roles`` is the comma-separated role claim issued by the identity provider,
    e.g. ``"editor, billing-admin"``.
    """

    user_id: str
    org_id: str
    roles: str


def role_set(member: Member) -> set[str]:
    """The member's roles as a set of normalised names."""
    return {role.strip().lower() for role in member.roles.split(",") if role.strip()}


def can_view(member: Member, org_id: str) -> bool:
    return member.org_id == org_id


def can_edit(member: Member, org_id: str) -> bool:
    return can_view(member, org_id) and bool(role_set(member) & EDITOR_ROLES)


def can_manage(member: Member, org_id: str) -> bool:
    """Renaming, archiving and deleting projects is reserved to organisation admins."""
    return can_view(member, org_id) and MANAGER_ROLE in role_set(member)
