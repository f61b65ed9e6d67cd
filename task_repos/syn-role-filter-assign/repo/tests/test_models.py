from accounts.models import User, from_record


def test_from_record_normalises():
    user = from_record({"username": " Alice ", "email": "alice@Example.org", "role": "Admin"})
    assert user.username == "alice"
    assert user.role == "admin"
    assert user.active is True
    assert user.groups == []


def test_domain_is_lowercase():
    assert User("bob", "bob@Corp.EXAMPLE").domain == "corp.example"


def test_groups_copied():
    user = from_record({"username": "c", "email": "c@x.io", "groups": ["ops", 7]})
    assert user.groups == ["ops", "7"]
