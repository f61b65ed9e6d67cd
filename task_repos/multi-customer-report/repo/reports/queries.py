"""Read-only queries behind the customer revenue report."""

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class CustomerRevenue:
    customer_id: int
    name: str
    email: str
    order_count: int
    revenue_cents: int


SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    amount_cents INTEGER NOT NULL
);
"""


def create_schema(conn: sqlite3.Connection) -> None:
    conn.executescript(SCHEMA)


def revenue_by_customer(conn: sqlite3.Connection) -> list[CustomerRevenue]:
    """Every customer with their order count and revenue, highest revenue first."""
    customers = conn.execute("SELECT id, name, email FROM customers").fetchall()
    result = []
    for customer_id, name, email in customers:
        count, revenue = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(amount_cents), 0) FROM orders WHERE customer_id = ?",
            (customer_id,),
        ).fetchone()
        result.append(CustomerRevenue(customer_id, name, email, count, revenue))
    result.sort(key=lambda row: (-row.revenue_cents, row.name, row.customer_id))
    return result
