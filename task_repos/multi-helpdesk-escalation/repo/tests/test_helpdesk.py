from datetime import datetime, timedelta

import pytest

from helpdesk.escalation import escalate_overdue, is_breached
from helpdesk.formatting import summary_line
from helpdesk.models import Ticket
from helpdesk.references import is_reference, new_reference
from helpdesk.sla import due_at

NOW = datetime(2024, 5, 6, 12, 0)


def ticket(priority="high", hours_ago=0, status="open", **kwargs) -> Ticket:
    opened = NOW - timedelta(hours=hours_ago)
    return Ticket("HD-AAAA1111", "Printer on fire", priority, opened, opened, status=status, **kwargs)


def test_due_at_uses_priority_window():
    assert due_at(NOW, "urgent") == NOW + timedelta(hours=4)
    with pytest.raises(ValueError):
        due_at(NOW, "whenever")


def test_overdue_ticket_is_breached():
    assert is_breached(ticket("high", hours_ago=9), NOW)
    assert not is_breached(ticket("high", hours_ago=7), NOW)


def test_closed_ticket_never_breached():
    assert not is_breached(ticket("urgent", hours_ago=50, status="closed"), NOW)


def test_escalates_once():
    tickets = [ticket("urgent", hours_ago=5), ticket("low", hours_ago=5)]
    assert escalate_overdue(tickets, NOW) == [tickets[0]]
    assert escalate_overdue(tickets, NOW) == []


def test_reference_format():
    ref = new_reference()
    assert is_reference(ref)
    assert not is_reference("HD-short")


def test_summary_line():
    t = ticket("urgent", extra={"queue": "hardware", "team": "x"}, escalated=True)
    assert summary_line(t) == "HD-AAAA1111 | P1 | Printer on fire | queue=hardware | ESCALATED"
