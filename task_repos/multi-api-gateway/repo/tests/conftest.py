import pytest

from gateway.keys import ApiKey, fingerprint
from gateway.resolver import KeyResolver

LIVE_KEY = "sk_live_4f9a8c7e6d5b4a3f2e1d"
REVOKED_KEY = "sk_live_0000aaaa1111bbbb2222"


class FakeStore:
    def __init__(self) -> None:
        self.records = {
            fingerprint(LIVE_KEY): ApiKey("k1", "acme", frozenset({"orders:read"})),
            fingerprint(REVOKED_KEY): ApiKey("k2", "initech", frozenset({"orders:read"}), active=False),
        }
        self.lookups: list[str] = []

    def find(self, key_id):
        self.lookups.append(key_id)
        return self.records.get(key_id)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store():
    return FakeStore()


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def resolver(store, clock):
    return KeyResolver(store, ttl=60, clock=clock)
