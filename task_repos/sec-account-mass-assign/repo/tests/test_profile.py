import pytest

from accounts.profile import Account, apply_update


def make_account():
    return Account(id=7, email="ada@example.com", display_name="Ada")


def test_update_display_name_and_bio():
    account = make_account()
    changed = apply_update(account, {"display_name": "Ada L.", "bio": "Maths."})
    assert changed == ["display_name", "bio"]
    assert account.display_name == "Ada L."
    assert account.bio == "Maths."
    assert account.updated_at is not None


def test_unchanged_values_are_not_reported():
    account = make_account()
    assert apply_update(account, {"display_name": "Ada"}) == []
    assert account.updated_at is None


def test_email_change_requires_new_verification():
    account = make_account()
    account.email_verified = True
    apply_update(account, {"email": "ada@lovelace.example"})
    assert account.email == "ada@lovelace.example"
    assert account.email_verified is False


def test_unknown_field_rejected():
    with pytest.raises(ValueError):
        apply_update(make_account(), {"nickname": "al"})


def test_invalid_values_rejected():
    with pytest.raises(ValueError):
        apply_update(make_account(), {"display_name": ""})
    with pytest.raises(ValueError):
        apply_update(make_account(), {"email": "not-an-address"})
