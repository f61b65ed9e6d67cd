"""Coupon validation at checkout."""

from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Store:
    name: str
    tz: tzinfo


@dataclass(frozen=True)
class Coupon:
    """A percentage coupon valid from `starts_on` through `expires_on` (inclusive).

    Both dates are calendar days in the store's local time.
    """

    code: str
    percent_off: Decimal
    starts_on: date
    expires_on: date


def local_date(moment: datetime, tz: tzinfo) -> date:
    """Calendar date of the aware timestamp `moment` as seen in timezone `tz`."""
    if moment.tzinfo is None:
        raise ValueError("checkout timestamps must be timezone-aware")
    return moment.astimezone(tz).date()


def is_active(coupon: Coupon, store: Store, at: datetime) -> bool:
    """Whether `coupon` can be redeemed in `store` at the instant `at`."""
    today = local_date(at, store.tz)
    return coupon.starts_on <= today <= coupon.expires_on


def apply_coupon(subtotal: Decimal, coupon: Coupon, store: Store, at: datetime) -> Decimal:
    """Subtotal after the coupon discount; unchanged when the coupon is not active."""
    if not is_active(coupon, store, at):
        return subtotal
    discount = (subtotal * coupon.percent_off / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return subtotal - discount
