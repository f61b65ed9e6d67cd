from datetime import datetime

from notify.formatting import count_label, render_digest
from notify.models import Event


def test_singular_label():
    assert count_label(1, "update") == "1 update"


def test_zero_is_plural():
    assert count_label(0, "comment") == "0 comments"


def test_render_single_notification():
    digest = {"alerts": [Event("u1", "alerts", "disk full", datetime(2024, 6, 3, 1))]}
    text = render_digest("Ada", digest)
    assert text.splitlines()[0] == "Hi Ada, you have 1 new notification:"
    assert "  #alerts (1 update)" in text
