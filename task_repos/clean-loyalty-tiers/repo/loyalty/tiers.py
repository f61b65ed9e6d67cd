"""Loyalty tiers by points balance."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Tier:
    name: str
    min_points: int
    multiplier: int


TIERS = (
    Tier("platinum", 5000, 3),
    Tier("gold", 2000, 2),
    Tier("silver", 500, 1),
)
BASE = Tier("member", 0, 1)


def tier_for(points: int) -> Tier:
    """The highest tier whose threshold `points` reaches (thresholds are inclusive)."""
    if points < 0:
        raise ValueError("points balance cannot be negative")
    for tier in TIERS:
        if points >= tier.min_points:
            return tier
    return BASE


def points_to_next(points: int) -> int | None:
    """Points still missing for the next tier, or None at the top tier."""
    current = tier_for(points)
    higher = [tier for tier in TIERS if tier.min_points > current.min_points]
    if not higher:
        return None
    return min(tier.min_points for tier in higher) - points
