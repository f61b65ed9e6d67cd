"""Billing use cases; every call is made on behalf of an authenticated user."""

from dataclasses import dataclass

from billing.repository import Invoice, InvoiceRepository


class NotFoundError(Exception):
    """The requested object does not exist (or is not visible to the caller)."""


class ConflictError(Exception):
    """The object is not in a state that allows the operation."""


@dataclass(frozen=True)
class User:
    id: str
    is_admin: bool = False


class BillingService:
    def __init__(self, repo: InvoiceRepository) -> None:
        self._repo = repo

    def list_invoices(self, user: User) -> list[Invoice]:
        return self._repo.all() if user.is_admin else self._repo.for_owner(user.id)

    def get_invoice(self, user: User, invoice_id: int) -> Invoice:
        invoice = self._repo.get(invoice_id)
        if invoice is None or (invoice.owner_id != user.id and not user.is_admin):
            raise NotFoundError(f"invoice {invoice_id}")
        return invoice

    def pay(self, user: User, invoice_id: int) -> Invoice:
        invoice = self.get_invoice(user, invoice_id)
        if invoice.status != "open":
            raise ConflictError(f"invoice {invoice_id} is {invoice.status}")
        self._repo.set_status(invoice.id, "paid")
        return invoice

    def void(self, user: User, invoice_id: int) -> Invoice:
        if not user.is_admin:
            raise PermissionError("only administrators can void invoices")
        invoice = self.get_invoice(user, invoice_id)
        if invoice.status != "open":
            raise ConflictError(f"invoice {invoice_id} is {invoice.status}")
        self._repo.set_status(invoice.id, "void")
        return invoice

    def balance(self, user: User) -> int:
        return self._repo.outstanding_cents(user.id)
