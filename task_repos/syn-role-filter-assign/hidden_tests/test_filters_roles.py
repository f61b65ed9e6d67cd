from accounts.filters import by_domain, with_role
from accounts.models import User

USERS = [
    User("alice", "alice@example.org", role="admin"),
    User("bob", "bob@example.org"),
    User("carol", "carol@other.net", role="admin", active=False),
    User("dave", "dave@other.net", role="auditor"),
]


def test_with_role_include_inactive():
    names = [u.username for u in with_role(USERS, "admin", include_inactive=True)]
    assert names == ["alice", "carol"]


def test_with_role_case_insensitive_query():
    assert [u.username for u in with_role(USERS, "Auditor")] == ["dave"]


def test_with_role_default_member():
    assert [u.username for u in with_role(USERS, "member")] == ["bob"]


def test_with_role_unknown_role():
    assert with_role(USERS, "owner") == []


def test_by_domain_sorted():
    assert by_domain(USERS) == {
        "example.org": ["alice", "bob"],
        "other.net": ["carol", "dave"],
    }
