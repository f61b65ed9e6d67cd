from datetime import datetime

from notify.digest import digest_for, group_by_channel
from notify.models import Event


def ev(user, channel, title):
    return Event(user, channel, title, datetime(2024, 6, 3, 12))


def test_digests_of_different_users_do_not_mix():
    first = digest_for("ada", [ev("ada", "build", "ada build")])
    second = digest_for("bob", [ev("bob", "deploy", "bob deploy")])
    assert list(second) == ["deploy"]
    assert [e.title for e in second["deploy"]] == ["bob deploy"]
    assert list(first) == ["build"]


def test_default_grouping_starts_empty_each_call():
    group_by_channel([ev("u", "alerts", "one")])
    again = group_by_channel([ev("u", "alerts", "two")])
    assert [e.title for e in again["alerts"]] == ["two"]


def test_no_events_gives_empty_digest():
    digest_for("carol", [ev("dave", "build", "x")])
    assert digest_for("carol", []) == {}
