import pytest

from accounts.profile import Account, apply_update


def make_account():
    return Account(id=7, email="ada@example.com", display_name="Ada")


def attempt(account, payload):
    try:
        apply_update(account, payload)
    except (ValueError, PermissionError, KeyError):
        pass


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("is_admin", True),
        ("plan", "enterprise"),
        ("email_verified", True),
        ("id", 1),
        ("history", []),
    ],
)
def test_owner_cannot_change_protected_fields(field, value):
    account = make_account()
    account.history.append("created")
    before = getattr(account, field)
    attempt(account, {field: value})
    assert getattr(account, field) == before


def test_privilege_escalation_mixed_into_valid_update():
    account = make_account()
    attempt(account, {"bio": "hi", "is_admin": True, "plan": "enterprise"})
    assert account.is_admin is False
    assert account.plan == "free"


def test_timezone_is_user_editable():
    account = make_account()
    assert apply_update(account, {"timezone": "Europe/Paris"}) == ["timezone"]
    assert account.timezone == "Europe/Paris"


def test_history_records_changed_fields():
    account = make_account()
    apply_update(account, {"bio": "x", "display_name": "A"})
    assert account.history == ["updated bio, display_name"]


def test_email_change_still_resets_verification():
    account = make_account()
    account.email_verified = True
    apply_update(account, {"email": "new@example.com", "bio": "b"})
    assert account.email_verified is False
