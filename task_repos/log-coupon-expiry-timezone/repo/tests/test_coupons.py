from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from promotions.coupons import Coupon, Store, apply_coupon, is_active, local_date

BERLIN_SUMMER = Store("Berlin", timezone(timedelta(hours=2)))
SPRING = Coupon("SPRING10", Decimal("10"), date(2024, 3, 1), date(2024, 3, 31))


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_active_in_the_middle_of_the_period():
    assert is_active(SPRING, BERLIN_SUMMER, utc(2024, 3, 15, 12, 0))


def test_inactive_before_start():
    assert not is_active(SPRING, BERLIN_SUMMER, utc(2024, 2, 20, 12, 0))


def test_inactive_well_after_expiry():
    assert not is_active(SPRING, BERLIN_SUMMER, utc(2024, 4, 2, 12, 0))


def test_last_day_is_included():
    assert is_active(SPRING, BERLIN_SUMMER, utc(2024, 3, 31, 12, 0))


def test_naive_timestamp_rejected():
    with pytest.raises(ValueError):
        local_date(datetime(2024, 3, 15, 12, 0), BERLIN_SUMMER.tz)


def test_discount_applied():
    assert apply_coupon(Decimal("59.99"), SPRING, BERLIN_SUMMER, utc(2024, 3, 10, 9, 0)) == Decimal("53.99")


def test_expired_coupon_leaves_subtotal():
    assert apply_coupon(Decimal("20.00"), SPRING, BERLIN_SUMMER, utc(2024, 5, 1, 9, 0)) == Decimal("20.00")
