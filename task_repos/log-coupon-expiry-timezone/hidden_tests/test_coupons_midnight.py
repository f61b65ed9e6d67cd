from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from promotions.coupons import Coupon, Store, apply_coupon, is_active, local_date

BERLIN_SUMMER = Store("Berlin", timezone(timedelta(hours=2)))
NEW_YORK = Store("New York", timezone(timedelta(hours=-4)))
SPRING = Coupon("SPRING10", Decimal("10"), date(2024, 3, 1), date(2024, 3, 31))
APRIL = Coupon("APRIL5", Decimal("5"), date(2024, 4, 1), date(2024, 4, 30))


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


def test_local_date_converts_to_store_time():
    assert local_date(utc(2024, 3, 31, 22, 30), BERLIN_SUMMER.tz) == date(2024, 4, 1)
    assert local_date(utc(2024, 4, 1, 2, 0), NEW_YORK.tz) == date(2024, 3, 31)


def test_expired_just_after_local_midnight():
    # 00:30 on April 1st in Berlin, still March 31st in UTC
    assert not is_active(SPRING, BERLIN_SUMMER, utc(2024, 3, 31, 22, 30))


def test_not_yet_active_before_local_midnight():
    # 22:00 on March 31st in New York, already April 1st in UTC
    assert not is_active(APRIL, NEW_YORK, utc(2024, 4, 1, 2, 0))


def test_still_active_late_evening_local_time():
    # 23:30 on March 31st in New York, April 1st in UTC
    assert is_active(SPRING, NEW_YORK, utc(2024, 4, 1, 3, 30))


def test_non_utc_input_timestamp():
    tokyo = timezone(timedelta(hours=9))
    at = datetime(2024, 4, 1, 6, 0, tzinfo=tokyo)  # 23:00 on March 31st in Berlin
    assert is_active(SPRING, BERLIN_SUMMER, at)
    assert apply_coupon(Decimal("100.00"), APRIL, BERLIN_SUMMER, at) == Decimal("100.00")
