from audit.events import filter_events, make_event
from audit.trail import AuditTrail


def test_make_event_adds_area_tag():
    event = make_event("billing.refund", "alice", ["manual"], amount="10.00")
    assert event.tags == ["manual", "area:billing"]
    assert event.details == {"amount": "10.00"}


def test_system_actor_is_tagged():
    event = make_event("sync.users", "system", ["nightly"])
    assert "automated" in event.tags


def test_filter_events():
    events = [
        make_event("billing.refund", "alice", ["manual"]),
        make_event("auth.login", "bob", ["web"]),
    ]
    assert [e.actor for e in filter_events(events, "area:auth")] == ["bob"]


def test_trail_by_actor_and_export():
    trail = AuditTrail()
    trail.record(make_event("auth.login", "bob", ["web"]))
    assert [e.action for e in trail.by_actor("bob")] == ["auth.login"]
    assert '"actor": "bob"' in trail.export_json()
