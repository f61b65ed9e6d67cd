from orders.store import Order, add_order, connect, customer_spend, orders_for_customer


def seeded():
    conn = connect()
    add_order(conn, "alice", "MUG-01", 2, 1800)
    add_order(conn, "bob", "TEE-XL", 1, 2500)
    add_order(conn, "alice", "CAP-02", 1, 1200)
    return conn


def test_orders_for_customer_oldest_first():
    conn = seeded()
    orders = orders_for_customer(conn, "alice")
    assert [o.sku for o in orders] == ["MUG-01", "CAP-02"]
    assert orders[0] == Order(1, "alice", "MUG-01", 2, 1800)


def test_unknown_customer_has_no_orders():
    assert orders_for_customer(seeded(), "carol") == []


def test_customer_spend():
    conn = seeded()
    assert customer_spend(conn, "alice") == 3000
    assert customer_spend(conn, "bob") == 2500


def test_add_order_returns_id(tmp_path):
    conn = connect(str(tmp_path / "orders.db"))
    assert add_order(conn, "dana", "MUG-01", 1, 900) == 1
    assert add_order(conn, "dana", "MUG-01", 3, 2700) == 2
