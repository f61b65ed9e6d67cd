"""Escalation of tickets that breached their SLA."""

from collections.abc import Iterable
from datetime import datetime

from helpdesk.models import Ticket
from helpdesk.sla import due_at


def is_breached(ticket: Ticket, now: datetime) -> bool:
    """True when an open ticket is past its response deadline."""
    if not ticket.is_open:
        return False
    return now > due_at(ticket.last_activity, ticket.priority)


def escalate_overdue(tickets: Iterable[Ticket], now: datetime) -> list[Ticket]:
    """Flag breached tickets for the duty manager; each ticket escalates once."""
    escalated = []
    for ticket in tickets:
        if ticket.escalated or not is_breached(ticket, now):
            continue
        ticket.escalated = True
        escalated.append(ticket)
    return escalated
