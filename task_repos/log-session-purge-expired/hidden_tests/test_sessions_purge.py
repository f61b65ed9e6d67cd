from datetime import datetime, timedelta

from adminauth.sessions import SessionStore

T0 = datetime(2024, 6, 1, 9, 0)
TIMEOUT = timedelta(minutes=30)


def test_purge_removes_only_expired_sessions():
    store = SessionStore(TIMEOUT)
    store.open("old-1", 1, T0)
    store.open("fresh", 2, T0 + timedelta(minutes=50))
    store.open("old-2", 3, T0 + timedelta(minutes=5))
    assert store.purge_expired(T0 + timedelta(minutes=60)) == 2
    assert len(store) == 1
    assert store.active_users() == {2}


def test_purge_everything():
    store = SessionStore(TIMEOUT)
    for i in range(5):
        store.open(f"t{i}", i, T0)
    assert store.purge_expired(T0 + timedelta(hours=2)) == 5
    assert len(store) == 0


def test_purge_last_inserted_session():
    store = SessionStore(TIMEOUT)
    store.open("fresh", 1, T0 + timedelta(minutes=40))
    store.open("stale", 2, T0)
    assert store.purge_expired(T0 + timedelta(minutes=45)) == 1
    assert store.touch("fresh", T0 + timedelta(minutes=46)) is not None


def test_purge_twice_is_idempotent():
    store = SessionStore(TIMEOUT)
    store.open("a", 1, T0)
    store.open("b", 2, T0 + timedelta(hours=1))
    now = T0 + timedelta(minutes=70)
    assert store.purge_expired(now) == 1
    assert store.purge_expired(now) == 0
