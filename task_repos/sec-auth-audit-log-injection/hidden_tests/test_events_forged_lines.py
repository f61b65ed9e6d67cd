import pytest

from authaudit.events import format_event, login_failed, login_succeeded, password_changed

FORGED = "2024-05-01 09:00:00,000 INFO auth.audit event=login_succeeded user=admin ip=10.0.0.1"


@pytest.mark.parametrize("separator", ["\n", "\r\n", "\r", "\u2028"])
def test_username_cannot_start_a_new_log_line(audit_stream, separator):
    login_failed("bob" + separator + FORGED, "203.0.113.9", "bad password")
    output = audit_stream.getvalue()
    assert len(output.splitlines()) == 1
    assert "\r" not in output
    assert output.count("\n") == 1


def test_forwarded_ip_header_cannot_inject_lines(audit_stream):
    login_succeeded("alice", "198.51.100.4\n" + FORGED)
    assert len(audit_stream.getvalue().splitlines()) == 1


def test_every_event_stays_on_its_own_line(audit_stream):
    login_failed("eve\nx", "1.2.3.4", "bad\npassword")
    password_changed("eve", "helpdesk\nINFO fake")
    lines = audit_stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "event=login_failed" in lines[0]
    assert "event=password_changed" in lines[1]


def test_terminal_escape_sequences_are_not_written_raw(audit_stream):
    login_failed("\x1b[2Jbob", "1.2.3.4", "bad password")
    assert "\x1b" not in audit_stream.getvalue()


def test_injected_text_is_still_recorded_for_investigation(audit_stream):
    login_failed("bob\nadmin", "1.2.3.4", "bad password")
    output = audit_stream.getvalue()
    assert "user=bob" in output
    assert "admin" in output


def test_plain_values_are_unchanged():
    line = format_event("password_changed", user="o'brien", by="self service")
    assert line == "event=password_changed user=o'brien by=self service"
