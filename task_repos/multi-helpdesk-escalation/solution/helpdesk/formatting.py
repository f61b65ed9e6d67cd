"""One-line ticket summaries for the agent dashboard."""

from helpdesk.models import Ticket

PRIORITY_LABELS = {"urgent": "P1", "high": "P2", "normal": "P3", "low": "P4"}
EXTRA_FIELDS = ("queue", "assignee")


def summary_line(ticket: Ticket) -> str:
    label = PRIORITY_LABELS.get(ticket.priority, ticket.priority.upper())
    parts = [ticket.reference, label, ticket.subject]
    parts += [
        f"{name}={ticket.extra[name]}" for name in EXTRA_FIELDS if name in ticket.extra
    ]
    if ticket.escalated:
        parts.append("ESCALATED")
    return " | ".join(parts)
