from cache.store import FragmentCache


def clock():
    return 0.0


def test_invalidate_existing_key():
    cache = FragmentCache(10, clock)
    cache.put("a", "1")
    cache.invalidate("a")
    assert cache.get("a") is None
    assert len(cache) == 0


def test_invalidate_missing_key_is_silent():
    cache = FragmentCache(10, clock)
    cache.invalidate("never-cached")
    assert len(cache) == 0


def test_invalidate_prefix():
    cache = FragmentCache(10, clock)
    for key in ("user:1:card", "user:1:avatar", "user:2:card", "footer"):
        cache.put(key, "x")
    assert cache.invalidate_prefix("user:1:") == 2
    assert len(cache) == 2
    assert cache.get("user:2:card") == "x"


def test_missing_key_returns_none():
    assert FragmentCache(10, clock).get("nothing") is None
