from billing.service import User

ALICE = User("alice")
BOB = User("bob")
ADMIN = User("ops", is_admin=True)


def test_index_lists_own_invoices_newest_first(routes):
    status, body = routes.index(ALICE)
    assert status == 200
    assert [inv["id"] for inv in body["invoices"]] == [2, 1]
    assert body["balance_cents"] == 15_500


def test_admin_index_lists_everything(routes):
    _, body = routes.index(ADMIN)
    assert [inv["id"] for inv in body["invoices"]] == [2, 3, 1]


def test_owner_can_view_invoice(routes):
    status, body = routes.show(BOB, 3)
    assert status == 200
    assert body == {"id": 3, "owner": "bob", "amount_cents": 990, "issued_on": "2024-02-01", "status": "open"}


def test_unknown_invoice_is_404(routes):
    assert routes.show(ALICE, 99)[0] == 404


def test_paying_reduces_balance(routes):
    assert routes.pay(ALICE, 1)[1]["status"] == "paid"
    assert routes.index(ALICE)[1]["balance_cents"] == 3_500


def test_paying_twice_conflicts(routes):
    routes.pay(BOB, 3)
    assert routes.pay(BOB, 3)[0] == 409


def test_only_admins_void(routes):
    assert routes.void(ALICE, 1)[0] == 403
    assert routes.void(ADMIN, 1)[1]["status"] == "void"
