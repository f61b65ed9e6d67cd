from datetime import datetime, timedelta

import pytest

from authflow.policy import expires_at, is_expired
from authflow.service import ResetError

ISSUED = datetime(2024, 3, 1, 9, 0)


def test_token_valid_for_thirty_minutes():
    assert expires_at(ISSUED) == ISSUED + timedelta(minutes=30)
    assert not is_expired(ISSUED, ISSUED + timedelta(minutes=29))
    assert not is_expired(ISSUED, ISSUED + timedelta(minutes=30))
    assert is_expired(ISSUED, ISSUED + timedelta(minutes=30, seconds=1))


def test_reset_ten_minutes_after_request(service, clock, passwords):
    token = service.request_reset("ada@example.com")
    clock.advance(minutes=10)
    service.reset_password(token, "correct horse battery")
    assert "ada@example.com" in passwords


def test_reset_after_thirty_one_minutes_fails(service, clock):
    token = service.request_reset("ada@example.com")
    clock.advance(minutes=31)
    with pytest.raises(ResetError):
        service.reset_password(token, "correct horse battery")
