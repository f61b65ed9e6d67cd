"""How user profiles are shown in comments, mentions and the member list."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    """Public part of a member profile."""

    username: str
    first_name: str
    last_name: str
    nickname: str | None = None
    pronouns: str | None = None


def display_name(profile: Profile) -> str:
    """The nickname when one is set, otherwise "First Last", otherwise the username."""
    if profile.nickname == None:
        full = f"{profile.first_name} {profile.last_name}".strip()
        return full or profile.username
    return profile.nickname


def mention(profile: Profile) -> str:
    """Text inserted when someone is @-mentioned."""
    return f"@{profile.username}"


def member_line(profile: Profile) -> str:
    """One line of the member list: display name, pronouns if given, and the handle."""
    parts = [display_name(profile)]
    if profile.pronouns:
        parts.append(f"({profile.pronouns})")
    parts.append(mention(profile))
    return " ".join(parts)


def sorted_members(profiles: list[Profile]) -> list[str]:
    """Member list lines ordered case-insensitively by display name."""
    return [member_line(p) for p in sorted(profiles, key=lambda p: display_name(p).casefold())]
