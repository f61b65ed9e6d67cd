from datetime import datetime, timedelta

from adminauth.sessions import SessionStore

T0 = datetime(2024, 6, 1, 9, 0)
TIMEOUT = timedelta(minutes=30)


def test_touch_extends_session():
    store = SessionStore(TIMEOUT)
    store.open("a", 1, T0)
    assert store.touch("a", T0 + timedelta(minutes=20)) is not None
    assert store.touch("a", T0 + timedelta(minutes=45)) is not None


def test_touch_after_timeout_returns_none():
    store = SessionStore(TIMEOUT)
    store.open("a", 1, T0)
    assert store.touch("a", T0 + timedelta(minutes=31)) is None


def test_unknown_token():
    assert SessionStore(TIMEOUT).touch("nope", T0) is None


def test_close_removes_session():
    store = SessionStore(TIMEOUT)
    store.open("a", 1, T0)
    store.close("a")
    assert len(store) == 0


def test_purge_with_nothing_expired():
    store = SessionStore(TIMEOUT)
    store.open("a", 1, T0)
    store.open("b", 2, T0)
    assert store.purge_expired(T0 + timedelta(minutes=10)) == 0
    assert len(store) == 2


def test_active_users():
    store = SessionStore(TIMEOUT)
    store.open("a", 1, T0)
    store.open("b", 1, T0)
    store.open("c", 7, T0)
    assert store.active_users() == {1, 7}
