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
    rows = conn.execute(
        """
        SELECT c.id, c.name, c.email, COUNT(o.id), COALESCE(SUM(o.amount_cents), 0)
        FROM customers AS c
        LEFT JOIN orders AS o ON o.customer_id = c.id
        GROUP BY c.id, c.name, c.email
        """
    ).fetchall()
    result = [CustomerRevenue(*row) for row in rows]
    result.sort(key=lambda row: (-row.revenue_cents, row.name, row.customer_id))
    return result
