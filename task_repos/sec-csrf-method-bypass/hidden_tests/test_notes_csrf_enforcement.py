import pytest

from notesweb.app import create_app
from notesweb.messages import Request
from notesweb.tokens import SESSION_KEY, issue_token, token_is_valid

TOKEN = "tok-3f9d1c"


@pytest.fixture
def state():
    return {"notes": ["buy milk"], "account": {"email": "ada@example.com"}}


@pytest.fixture
def app(state):
    return create_app(state["notes"], state["account"])


def test_delete_without_token_is_forbidden(app, state):
    response = app(Request("DELETE", "/notes", session={SESSION_KEY: TOKEN}))
    assert response.status == 403
    assert state["notes"] == ["buy milk"]


def test_put_without_token_cannot_change_email(app, state):
    request = Request("PUT", "/account/email", form={"email": "evil@attacker.example"}, session={SESSION_KEY: TOKEN})
    assert app(request).status == 403
    assert state["account"]["email"] == "ada@example.com"


@pytest.mark.parametrize("method", ["post", "Post", "pOST"])
def test_lowercase_method_is_still_checked(app, state, method):
    response = app(Request(method, "/notes", form={"text": "spam"}, session={SESSION_KEY: TOKEN}))
    assert response.status == 403
    assert state["notes"] == ["buy milk"]


@pytest.mark.parametrize("supplied", [None, ""])
def test_session_without_token_rejects_missing_token(app, state, supplied):
    form = {"text": "spam"} if supplied is None else {"text": "spam", "csrf_token": supplied}
    assert app(Request("POST", "/notes", form=form, session={})).status == 403
    assert state["notes"] == ["buy milk"]


def test_empty_tokens_never_match():
    assert token_is_valid({}, None) is False
    assert token_is_valid({}, "") is False
    assert token_is_valid({SESSION_KEY: ""}, "") is False


def test_lowercase_safe_method_still_allowed(app):
    assert app(Request("get", "/notes")).status == 200


def test_put_with_token_changes_email(app, state):
    request = Request(
        "PUT", "/account/email", form={"email": "ada@new.example", "csrf_token": TOKEN}, session={SESSION_KEY: TOKEN}
    )
    assert app(request).status == 200
    assert state["account"]["email"] == "ada@new.example"


def test_issued_token_round_trips():
    session = {}
    token = issue_token(session)
    assert issue_token(session) == token
    assert token_is_valid(session, token) is True
