from accounts.filters import in_group, with_role
from accounts.models import User

USERS = [
    User("alice", "alice@example.org", role="admin", groups=["ops"]),
    User("bob", "bob@example.org"),
    User("carol", "carol@example.org", role="admin", active=False),
]


def test_with_role_skips_inactive():
    assert [u.username for u in with_role(USERS, "admin")] == ["alice"]


def test_in_group():
    assert [u.username for u in in_group(USERS, "ops")] == ["alice"]
