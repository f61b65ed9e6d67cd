import pytest

from invites.codes import code_digest, new_code
from invites.service import InvitationError


def test_codes_are_url_safe_and_long():
    code = new_code()
    assert len(code) >= 32
    assert all(c.isalnum() or c in "-_" for c in code)


def test_digest_hides_code():
    code = new_code()
    assert code not in code_digest(code)


def test_accept_joins_team(invites):
    code = invites.invite("t1", "Ada@Example.com", "admin")
    invitation = invites.accept(code, "ada@example.com")
    assert invitation.team_id == "t1"
    assert invites.members == {"t1": {"ada@example.com": "admin"}}


def test_unknown_role(invites):
    with pytest.raises(ValueError):
        invites.invite("t1", "a@example.com", "owner")


def test_wrong_code(invites):
    invites.invite("t1", "a@example.com")
    with pytest.raises(InvitationError):
        invites.accept("not-a-code", "a@example.com")


def test_pending_list(invites, store):
    invites.invite("t1", "b@example.com")
    invites.invite("t1", "a@example.com")
    invites.invite("t2", "c@example.com")
    assert [inv.email for inv in store.pending_for("t1")] == ["a@example.com", "b@example.com"]
