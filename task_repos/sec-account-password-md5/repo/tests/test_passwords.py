import pytest

from accounts.passwords import WeakPasswordError, check_policy, hash_password, verify_password


@pytest.fixture(scope="module")
def stored():
    return hash_password("correct-horse-42")


def test_right_password_verifies(stored):
    assert verify_password("correct-horse-42", stored)


def test_wrong_password_fails(stored):
    assert not verify_password("correct-horse-43", stored)


def test_short_password_is_rejected():
    with pytest.raises(WeakPasswordError):
        hash_password("abc123")


def test_single_class_passwords_are_rejected():
    with pytest.raises(WeakPasswordError):
        check_policy("12345678901")
    with pytest.raises(WeakPasswordError):
        check_policy("abcdefghijk")


def test_garbage_stored_value_never_verifies():
    assert not verify_password("correct-horse-42", "not-a-hash")
    assert not verify_password("correct-horse-42", "")
