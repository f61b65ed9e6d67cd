import pytest

from notesweb.app import create_app
from notesweb.messages import Request
from notesweb.tokens import SESSION_KEY

TOKEN = "tok-3f9d1c"


@pytest.fixture
def state():
    return {"notes": ["buy milk"], "account": {"email": "ada@example.com"}}


@pytest.fixture
def app(state):
    return create_app(state["notes"], state["account"])


def session():
    return {SESSION_KEY: TOKEN}


def test_listing_notes_needs_no_token_and_embeds_one(app):
    request = Request("GET", "/notes")
    response = app(request)
    assert response.status == 200
    assert "<li>buy milk</li>" in response.body
    assert request.session[SESSION_KEY] in response.body


def test_form_post_with_token_adds_note(app, state):
    response = app(Request("POST", "/notes", form={"text": "call bob", "csrf_token": TOKEN}, session=session()))
    assert response.status == 201
    assert state["notes"] == ["buy milk", "call bob"]


def test_post_without_token_is_forbidden(app, state):
    response = app(Request("POST", "/notes", form={"text": "spam"}, session=session()))
    assert response.status == 403
    assert state["notes"] == ["buy milk"]


def test_post_with_wrong_token_is_forbidden(app, state):
    response = app(Request("POST", "/notes", form={"text": "x", "csrf_token": "nope"}, session=session()))
    assert response.status == 403


def test_api_client_may_send_token_in_header(app, state):
    request = Request("DELETE", "/notes", headers={"X-CSRF-Token": TOKEN}, session=session())
    assert app(request).status == 204
    assert state["notes"] == []


def test_unknown_routes(app):
    assert app(Request("GET", "/nope")).status == 404
    assert app(Request("PATCH", "/notes", session=session())).status in (403, 405)
