"""Subscription plan catalogue."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    seat_price: Decimal
    min_seats: int = 1


CATALOGUE: dict[str, Plan] = {
    plan.code: plan
    for plan in (
        Plan("starter", "Starter", Decimal("9.00")),
        Plan("team", "Team", Decimal("15.00"), min_seats=3),
        Plan("business", "Business", Decimal("29.00"), min_seats=10),
    )
}


def get_plan(code: str) -> Plan:
    try:
        return CATALOGUE[code]
    except KeyError:
        raise ValueError(f"unknown plan: {code}") from None
