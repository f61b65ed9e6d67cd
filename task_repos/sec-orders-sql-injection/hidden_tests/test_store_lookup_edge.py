from orders.store import add_order, connect, customer_spend, orders_for_customer


def seeded():
    conn = connect()
    add_order(conn, "alice", "MUG-01", 2, 1800)
    add_order(conn, "bob", "TEE-XL", 1, 2500)
    return conn


def _lookup(conn, customer):
    try:
        return orders_for_customer(conn, customer)
    except Exception as exc:  # a rejected lookup is fine, leaking rows is not
        return exc


def test_tautology_does_not_return_other_customers():
    result = _lookup(seeded(), "nobody' OR '1'='1")
    assert result == [] or isinstance(result, ValueError)


def test_union_cannot_read_schema():
    payload = "x' UNION SELECT 0, name, sql, 1, 0 FROM sqlite_master --"
    result = _lookup(seeded(), payload)
    assert result == [] or isinstance(result, ValueError)


def test_orders_table_survives_hostile_name():
    conn = seeded()
    _lookup(conn, "x'; DROP TABLE orders; --")
    assert customer_spend(conn, "bob") == 2500


def test_name_with_apostrophe():
    conn = seeded()
    add_order(conn, "O'Brien", "CAP-02", 1, 1200)
    assert [o.sku for o in orders_for_customer(conn, "O'Brien")] == ["CAP-02"]


def test_lookup_is_exact_match():
    conn = seeded()
    add_order(conn, "alice2", "CAP-02", 1, 1200)
    assert customer_spend(conn, "alice") == 1800
    assert orders_for_customer(conn, "ALICE") == []
