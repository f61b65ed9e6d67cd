import pytest
from jinja2 import UndefinedError

from mailer.render import Branding, render_email

FOOTER = '<a href="https://tasks.example.com/unsubscribe">Unsubscribe</a> &middot; Example Ltd'
BRAND = Branding("TaskBoard", FOOTER)


def welcome(**overrides):
    context = {
        "user_name": "Dana",
        "workspace": "Growth team",
        "workspace_url": "https://tasks.example.com/w/42",
    }
    context.update(overrides)
    return render_email("welcome", BRAND, **context)


def test_welcome_html_part():
    html, _ = welcome()
    assert "<h1>Welcome to TaskBoard, Dana!</h1>" in html
    assert '<a href="https://tasks.example.com/w/42">Growth team</a>' in html


def test_footer_from_back_office_is_kept():
    html, _ = welcome()
    assert f"<footer>{FOOTER}</footer>" in html


def test_welcome_text_part():
    _, text = welcome()
    assert text.splitlines() == [
        "Welcome to TaskBoard, Dana!",
        'Your workspace "Growth team" is ready: https://tasks.example.com/w/42',
    ]


def test_missing_variable_is_an_error():
    with pytest.raises(UndefinedError):
        render_email("welcome", BRAND, user_name="Dana")
