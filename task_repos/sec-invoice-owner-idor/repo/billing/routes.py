"""HTTP handlers for /invoices; the framework passes the authenticated user."""

from collections.abc import Callable
from typing import Any

from billing.repository import Invoice
from billing.service import BillingService, ConflictError, NotFoundError, User

Response = tuple[int, dict[str, Any]]


def _serialize(invoice: Invoice) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "owner": invoice.owner_id,
        "amount_cents": invoice.amount_cents,
        "issued_on": invoice.issued_on.isoformat(),
        "status": invoice.status,
    }


def _guard(action: Callable[[], Response]) -> Response:
    try:
        return action()
    except NotFoundError:
        return 404, {"error": "not found"}
    except PermissionError:
        return 403, {"error": "forbidden"}
    except ConflictError as exc:
        return 409, {"error": str(exc)}


class InvoiceRoutes:
    def __init__(self, service: BillingService) -> None:
        self._service = service

    def index(self, user: User) -> Response:
        invoices = self._service.list_invoices(user)
        return 200, {
            "invoices": [_serialize(inv) for inv in invoices],
            "balance_cents": self._service.balance(user),
        }

    def show(self, user: User, invoice_id: int) -> Response:
        return _guard(lambda: (200, _serialize(self._service.get_invoice(user, invoice_id))))

    def pay(self, user: User, invoice_id: int) -> Response:
        return _guard(lambda: (200, _serialize(self._service.pay(user, invoice_id))))

    def void(self, user: User, invoice_id: int) -> Response:
        return _guard(lambda: (200, _serialize(self._service.void(user, invoice_id))))
