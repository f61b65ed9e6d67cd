import logging

import pytest

from gateway.auth import AuthError, authenticate

LIVE_KEY = "sk_live_4f9a8c7e6d5b4a3f2e1d"
REVOKED_KEY = "sk_live_0000aaaa1111bbbb2222"
MISTYPED = "sk_live_9z8y7x6w5v4u3t2s1r0q"


def attempt(resolver, key, scope="orders:read"):
    with pytest.raises(AuthError):
        authenticate(resolver, {"Authorization": f"Bearer {key}"}, scope)


def test_rejected_key_not_logged_in_full(resolver, caplog):
    caplog.set_level(logging.DEBUG, logger="gateway")
    attempt(resolver, MISTYPED)
    attempt(resolver, REVOKED_KEY)
    messages = [record.getMessage() for record in caplog.records]
    assert messages, "rejections should still be logged"
    for message in messages:
        assert MISTYPED not in message
        assert REVOKED_KEY not in message


def test_rejection_log_identifies_key_suffix(resolver, caplog):
    caplog.set_level(logging.DEBUG, logger="gateway")
    attempt(resolver, MISTYPED)
    assert any(MISTYPED[-4:] in record.getMessage() for record in caplog.records)


def test_scope_denial_log_redacted(resolver, caplog):
    caplog.set_level(logging.DEBUG, logger="gateway")
    attempt(resolver, LIVE_KEY, scope="admin")
    assert all(LIVE_KEY not in record.getMessage() for record in caplog.records)
