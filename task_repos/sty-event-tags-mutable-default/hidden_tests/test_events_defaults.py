from audit.events import make_event


def test_default_tags_not_shared_between_events():
    first = make_event("auth.login", "alice")
    second = make_event("billing.refund", "bob")
    assert first.tags == ["area:auth"]
    assert second.tags == ["area:billing"]


def test_automated_tag_does_not_leak():
    make_event("sync.users", "system")
    assert make_event("auth.logout", "carol").tags == ["area:auth"]


def test_explicit_tags_then_default():
    make_event("billing.refund", "alice", ["manual"])
    assert make_event("billing.invoice", "alice").tags == ["area:billing"]


def test_details_are_copied():
    event = make_event("auth.login", "alice", ip="10.0.0.1")
    assert event.details == {"ip": "10.0.0.1"}
