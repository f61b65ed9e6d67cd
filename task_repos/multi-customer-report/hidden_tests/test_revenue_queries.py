from reports.queries import revenue_by_customer
from reports.service import customer_report


def seed(add_customer, count):
    for n in range(count):
        add_customer(f"Customer {n:03d}", f"c{n}@example.com", *([100 * (n % 7 + 1)] * (n % 4)))


def test_query_count_does_not_grow_with_customers(conn, add_customer):
    seed(add_customer, 60)
    statements = []
    conn.set_trace_callback(statements.append)
    rows = revenue_by_customer(conn)
    conn.set_trace_callback(None)
    assert len(rows) == 60
    assert len(statements) <= 3


def test_report_query_count(conn, add_customer):
    seed(add_customer, 40)
    statements = []
    conn.set_trace_callback(statements.append)
    customer_report(conn, "Revenue")
    conn.set_trace_callback(None)
    assert len(statements) <= 3


def test_aggregates_and_ties(conn, add_customer):
    add_customer("Zed", "z@example.com", 300)
    add_customer("Amy", "a@example.com", 100, 200)
    add_customer("Nil", "n@example.com")
    add_customer("Amy", "a2@example.com", 150, 150)
    rows = revenue_by_customer(conn)
    assert [(r.name, r.email, r.order_count, r.revenue_cents) for r in rows] == [
        ("Amy", "a@example.com", 2, 300),
        ("Amy", "a2@example.com", 2, 300),
        ("Zed", "z@example.com", 1, 300),
        ("Nil", "n@example.com", 0, 0),
    ]
