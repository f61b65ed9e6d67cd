"""Audit log entries kept per tenant."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AuditEntry:
    entry_id: int
    tenant: str
    actor: str
    action: str
    at: datetime


class AuditLog:
    def __init__(self) -> None:
        self._entries: list[AuditEntry] = []

    def record(self, tenant: str, actor: str, action: str, at: datetime) -> AuditEntry:
        entry = AuditEntry(len(self._entries) + 1, tenant, actor, action, at)
        self._entries.append(entry)
        return entry

    def for_tenant(self, tenant: str, actor: str | None = None) -> list[AuditEntry]:
        """Entries of `tenant`, newest first, optionally limited to one actor."""
        matching = [
            entry
            for entry in self._entries
            if entry.tenant == tenant and (actor is None or entry.actor == actor)
        ]
        return sorted(matching, key=lambda entry: (entry.at, entry.entry_id), reverse=True)
