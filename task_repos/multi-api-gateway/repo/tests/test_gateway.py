import pytest

from gateway.auth import AuthError, authenticate, bearer_key
from gateway.redaction import redact_key

LIVE_KEY = "sk_live_4f9a8c7e6d5b4a3f2e1d"
REVOKED_KEY = "sk_live_0000aaaa1111bbbb2222"


def headers(key):
    return {"Authorization": f"Bearer {key}"}


def test_bearer_key_parsing():
    assert bearer_key({"Authorization": "bearer  abc "}) == "abc"
    with pytest.raises(AuthError):
        bearer_key({"Authorization": "Basic abc"})
    with pytest.raises(AuthError):
        bearer_key({})


def test_valid_key_authenticates(resolver):
    record = authenticate(resolver, headers(LIVE_KEY), "orders:read")
    assert record.owner == "acme"


def test_unknown_and_revoked_keys_rejected(resolver):
    for key in ("sk_live_nope", REVOKED_KEY):
        with pytest.raises(AuthError) as info:
            authenticate(resolver, headers(key), "orders:read")
        assert info.value.status == 401


def test_missing_scope_is_forbidden(resolver):
    with pytest.raises(AuthError) as info:
        authenticate(resolver, headers(LIVE_KEY), "orders:write")
    assert info.value.status == 403


def test_resolve_returns_store_record(resolver, store):
    assert resolver.resolve(LIVE_KEY).key_id == "k1"
    assert resolver.resolve("unknown") is None
    assert len(store.lookups) >= 2


def test_redact_key():
    assert redact_key("sk_live_abcd1234") == "****1234"
    assert redact_key("short") == "****"
