from authaudit.events import account_locked, format_event, login_failed, login_succeeded


def test_format_event_renders_key_value_pairs():
    line = format_event("login_failed", user="bob", ip="203.0.113.9", reason="bad password")
    assert line == "event=login_failed user=bob ip=203.0.113.9 reason=bad password"


def test_failed_login_is_logged_as_warning(audit_stream):
    login_failed("bob", "203.0.113.9", "bad password")
    line = audit_stream.getvalue()
    assert " WARNING auth.audit event=login_failed user=bob ip=203.0.113.9" in line
    assert line.endswith("reason=bad password\n")


def test_successful_login_is_info(audit_stream):
    login_succeeded("alice", "198.51.100.4")
    assert " INFO auth.audit event=login_succeeded user=alice ip=198.51.100.4\n" in audit_stream.getvalue()


def test_numbers_are_rendered_plainly(audit_stream):
    account_locked("bob", 5)
    assert audit_stream.getvalue().endswith("event=account_locked user=bob failures=5\n")
