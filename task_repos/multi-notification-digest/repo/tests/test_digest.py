from datetime import datetime, time

from notify.digest import digest_for, group_by_channel
from notify.formatting import count_label, render_digest
from notify.models import Event
from notify.preferences import Preferences, wanted


def ev(user, channel, title, hour):
    return Event(user, channel, title, datetime(2024, 6, 3, hour))


def test_groups_oldest_first():
    events = [ev("u1", "build", "late", 9), ev("u1", "build", "early", 7), ev("u1", "deploy", "x", 8)]
    grouped = group_by_channel(events, {})
    assert [e.title for e in grouped["build"]] == ["early", "late"]
    assert list(grouped) == ["build", "deploy"]


def test_extends_existing_grouping():
    existing = {"build": [ev("u1", "build", "old", 1)]}
    grouped = group_by_channel([ev("u1", "build", "new", 2)], existing)
    assert [e.title for e in grouped["build"]] == ["old", "new"]


def test_quiet_hours_wrap_midnight():
    prefs = Preferences(quiet_start=time(22), quiet_end=time(7))
    assert prefs.in_quiet_hours(time(23, 30))
    assert prefs.in_quiet_hours(time(6, 59))
    assert not prefs.in_quiet_hours(time(7))


def test_muted_channels_filtered():
    prefs = Preferences(muted_channels=frozenset({"build"}))
    events = [ev("u1", "build", "a", 1), ev("u1", "deploy", "b", 2)]
    assert [e.title for e in wanted(events, prefs)] == ["b"]


def test_plural_labels():
    assert count_label(3, "comment") == "3 comments"


def test_render_empty_digest():
    assert render_digest("Ada", {}) == "Hi Ada, nothing new today."


def test_render_digest_lists_channels():
    digest = digest_for("u1", [ev("u1", "deploy", "v2 live", 1), ev("u1", "deploy", "v2.1 live", 2),
                               ev("u1", "alerts", "disk", 3), ev("u1", "alerts", "cpu", 4)])
    text = render_digest("Ada", digest)
    assert text.splitlines()[0] == "Hi Ada, you have 4 new notifications:"
    assert "  #alerts (2 updates)" in text
    assert "    - v2.1 live" in text
