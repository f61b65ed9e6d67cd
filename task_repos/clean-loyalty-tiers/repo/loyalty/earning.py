"""Points earned on purchases."""

from decimal import ROUND_FLOOR, Decimal

from loyalty.tiers import Tier

POINTS_PER_EURO = 1


def points_for_purchase(amount: Decimal, tier: Tier) -> int:
    """Whole euros spent times the tier multiplier; cents never earn points."""
    if amount < 0:
        raise ValueError("purchase amount cannot be negative")
    whole_euros = int(amount.to_integral_value(rounding=ROUND_FLOOR))
    return whole_euros * POINTS_PER_EURO * tier.multiplier
