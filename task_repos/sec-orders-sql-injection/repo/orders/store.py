"""SQLite persistence for customer orders."""

import sqlite3
from dataclasses import dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    customer TEXT NOT NULL,
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    total_cents INTEGER NOT NULL
)
"""


@dataclass(frozen=True)
class Order:
    """One stored order line."""

    id: int
    customer: str
    sku: str
    quantity: int
    total_cents: int


def connect(path: str = ":memory:") -> sqlite3.Connection:
    """Open the order database and make sure the schema exists."""
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    return conn


def add_order(conn: sqlite3.Connection, customer: str, sku: str, quantity: int, total_cents: int) -> int:
    """Insert an order and return its id."""
    cursor = conn.execute(
        "INSERT INTO orders (customer, sku, quantity, total_cents) VALUES (?, ?, ?, ?)",
        (customer, sku, quantity, total_cents),
    )
    conn.commit()
    return int(cursor.lastrowid)


def orders_for_customer(conn: sqlite3.Connection, customer: str) -> list[Order]:
    """Return the orders placed by ``customer`` (exact match), oldest first."""
    rows = conn.execute(
        f"SELECT id, customer, sku, quantity, total_cents FROM orders WHERE customer = '{customer}' ORDER BY id"
    ).fetchall()
    return [Order(*row) for row in rows]


def customer_spend(conn: sqlite3.Connection, customer: str) -> int:
    """Total amount in cents that ``customer`` has spent."""
    return sum(order.total_cents for order in orders_for_customer(conn, customer))
