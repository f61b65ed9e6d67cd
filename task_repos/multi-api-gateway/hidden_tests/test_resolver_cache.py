from gateway.auth import authenticate

LIVE_KEY = "sk_live_4f9a8c7e6d5b4a3f2e1d"


def test_repeated_requests_hit_store_once(resolver, store):
    for _ in range(200):
        authenticate(resolver, {"Authorization": f"Bearer {LIVE_KEY}"}, "orders:read")
    assert len(store.lookups) == 1


def test_unknown_key_cached_too(resolver, store):
    for _ in range(50):
        assert resolver.resolve("sk_live_bruteforce") is None
    assert len(store.lookups) == 1


def test_entry_refreshed_after_ttl(resolver, store, clock):
    resolver.resolve(LIVE_KEY)
    clock.now += 59
    resolver.resolve(LIVE_KEY)
    clock.now += 2
    resolver.resolve(LIVE_KEY)
    assert len(store.lookups) == 2


def test_invalidate_forces_lookup(resolver, store):
    resolver.resolve(LIVE_KEY)
    resolver.invalidate(LIVE_KEY)
    resolver.resolve(LIVE_KEY)
    assert len(store.lookups) == 2
