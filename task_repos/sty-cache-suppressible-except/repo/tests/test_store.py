import pytest

from cache.store import FragmentCache


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_put_and_get():
    cache = FragmentCache(60, FakeClock())
    cache.put("header", "<h1>Hi</h1>")
    assert cache.get("header") == "<h1>Hi</h1>"


def test_entries_expire():
    clock = FakeClock()
    cache = FragmentCache(60, clock)
    cache.put("header", "<h1>Hi</h1>")
    clock.now += 60
    assert cache.get("header") is None
    assert len(cache) == 0


def test_invalid_ttl():
    with pytest.raises(ValueError):
        FragmentCache(0, FakeClock())
