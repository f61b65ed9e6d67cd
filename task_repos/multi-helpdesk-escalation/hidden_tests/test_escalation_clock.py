from datetime import datetime, timedelta

from helpdesk.escalation import escalate_overdue, is_breached
from helpdesk.models import Ticket

NOW = datetime(2024, 5, 6, 12, 0)


def make(priority: str, opened_hours_ago: float, active_hours_ago: float, status: str = "open") -> Ticket:
    return Ticket(
        "HD-BBBB2222", "VPN down", priority,
        opened_at=NOW - timedelta(hours=opened_hours_ago),
        last_activity=NOW - timedelta(hours=active_hours_ago),
        status=status,
    )


def test_customer_reply_does_not_reset_sla():
    assert is_breached(make("high", opened_hours_ago=10, active_hours_ago=1), NOW)


def test_waiting_on_customer_still_counts_from_open():
    t = make("urgent", opened_hours_ago=6, active_hours_ago=0.5, status="waiting_on_customer")
    assert escalate_overdue([t], NOW) == [t]
    assert t.escalated


def test_recent_ticket_not_escalated():
    assert not is_breached(make("normal", opened_hours_ago=3, active_hours_ago=3), NOW)


def test_resolved_ticket_ignored():
    assert escalate_overdue([make("urgent", 30, 1, status="resolved")], NOW) == []
