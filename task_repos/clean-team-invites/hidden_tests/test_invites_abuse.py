import random

import pytest

from invites.codes import new_code
from invites.service import InvitationError


def test_code_cannot_be_reused(invites):
    code = invites.invite("t1", "ada@example.com")
    invites.accept(code, "ada@example.com")
    with pytest.raises(InvitationError):
        invites.accept(code, "ada@example.com")


def test_other_account_cannot_accept(invites, store):
    code = invites.invite("t1", "ada@example.com", "admin")
    with pytest.raises(InvitationError):
        invites.accept(code, "mallory@example.com")
    assert "t1" not in invites.members
    assert invites.accept(code, "ada@example.com").role == "admin"


def test_valid_until_exactly_seven_days(invites, clock):
    code = invites.invite("t1", "ada@example.com")
    clock.advance(days=7)
    invites.accept(code, "ada@example.com")


def test_expired_after_seven_days(invites, clock):
    code = invites.invite("t1", "ada@example.com")
    clock.advance(days=7, seconds=1)
    with pytest.raises(InvitationError):
        invites.accept(code, "ada@example.com")


def test_codes_not_derived_from_global_random():
    random.seed(7)
    first = new_code()
    random.seed(7)
    assert new_code() != first


def test_store_keeps_only_digests(invites, store):
    code = invites.invite("t1", "ada@example.com")
    assert all(code not in key for key in store._pending)
