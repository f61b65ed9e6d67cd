"""In-memory invoice storage used by the billing service."""

from dataclasses import dataclass
from datetime import date

STATUSES = ("open", "paid", "void")


@dataclass
class Invoice:
    id: int
    owner_id: str
    amount_cents: int
    issued_on: date
    status: str = "open"


class InvoiceRepository:
    def __init__(self) -> None:
        self._rows: dict[int, Invoice] = {}
        self._next_id = 1

    def add(self, owner_id: str, amount_cents: int, issued_on: date) -> Invoice:
        invoice = Invoice(self._next_id, owner_id, amount_cents, issued_on)
        self._rows[invoice.id] = invoice
        self._next_id += 1
        return invoice

    def get(self, invoice_id: int) -> Invoice | None:
        return self._rows.get(invoice_id)

    def for_owner(self, owner_id: str) -> list[Invoice]:
        """Invoices of ``owner_id``, newest first."""
        rows = [inv for inv in self._rows.values() if inv.owner_id == owner_id]
        return sorted(rows, key=lambda inv: (inv.issued_on, inv.id), reverse=True)

    def all(self) -> list[Invoice]:
        return sorted(self._rows.values(), key=lambda inv: (inv.issued_on, inv.id), reverse=True)

    def set_status(self, invoice_id: int, status: str) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status: {status}")
        self._rows[invoice_id].status = status

    def outstanding_cents(self, owner_id: str) -> int:
        """Total amount the owner still has to pay."""
        return sum(inv.amount_cents for inv in self.for_owner(owner_id) if inv.status == "open")
