from datetime import date

from billing.repository import InvoiceRepository
from billing.service import BillingService, NotFoundError, User

ALICE = User("alice")
BOB = User("bob")
ADMIN = User("ops", is_admin=True)


def test_user_cannot_read_someone_elses_invoice(routes):
    status, body = routes.show(BOB, 1)
    assert status in (403, 404)
    assert "amount_cents" not in body


def test_user_cannot_enumerate_invoices_by_id(routes):
    visible = [i for i in range(1, 5) if routes.show(BOB, i)[0] == 200]
    assert visible == [3]


def test_user_cannot_pay_someone_elses_invoice(routes, repo):
    status, _ = routes.pay(BOB, 2)
    assert status in (403, 404)
    assert repo.get(2).status == "open"


def test_service_refuses_foreign_invoice(repo):
    service = BillingService(repo)
    try:
        service.get_invoice(ALICE, 3)
    except (NotFoundError, PermissionError):
        return
    raise AssertionError("alice could load bob's invoice")


def test_admin_can_still_view_and_pay_any_invoice(routes):
    assert routes.show(ADMIN, 1)[0] == 200
    assert routes.pay(ADMIN, 3)[0] == 200


def test_voided_invoices_are_not_outstanding(routes):
    routes.void(ADMIN, 1)
    _, body = routes.index(ALICE)
    assert body["balance_cents"] == 3_500


def test_balance_counts_only_open_invoices():
    repo = InvoiceRepository()
    paid = repo.add("carol", 100, date(2024, 3, 1))
    void = repo.add("carol", 200, date(2024, 3, 2))
    repo.add("carol", 400, date(2024, 3, 3))
    repo.set_status(paid.id, "paid")
    repo.set_status(void.id, "void")
    assert repo.outstanding_cents("carol") == 400
