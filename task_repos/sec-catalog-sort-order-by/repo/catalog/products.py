"""Product listing queries for the storefront."""

import sqlite3
from dataclasses import dataclass

SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    sku TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    price_cents INTEGER NOT NULL,
    created_at TEXT NOT NULL
)
"""
SORT_ALIASES = {"price": "price_cents", "newest": "created_at"}
MAX_PAGE = 100


@dataclass(frozen=True)
class Product:
    """A product as shown in listings."""

    sku: str
    name: str
    price_cents: int
    created_at: str


def create_schema(conn: sqlite3.Connection) -> None:
    """Create the products table if it does not exist yet."""
    conn.executescript(SCHEMA)


def add_product(conn: sqlite3.Connection, sku: str, name: str, category: str, price_cents: int, created_at: str) -> None:
    """Insert one product (``created_at`` is an ISO-8601 timestamp)."""
    conn.execute(
        "INSERT INTO products (sku, name, category, price_cents, created_at) VALUES (?, ?, ?, ?, ?)",
        (sku, name, category, price_cents, created_at),
    )


def list_products(
    conn: sqlite3.Connection, category: str, sort: str = "name", descending: bool = False, limit: int = 20
) -> list[Product]:
    """List a category's products sorted by ``sort`` ("name", "price" or "newest")."""
    column = SORT_ALIASES.get(sort, sort)
    direction = "DESC" if descending else "ASC"
    rows = conn.execute(
        f"SELECT sku, name, price_cents, created_at FROM products WHERE category = ? ORDER BY {column} {direction}, sku LIMIT ?",
        (category, max(1, min(limit, MAX_PAGE))),
    ).fetchall()
    return [Product(*row) for row in rows]


def search_products(conn: sqlite3.Connection, term: str) -> list[Product]:
    """Products whose name contains ``term`` (case-insensitive), cheapest first."""
    rows = conn.execute(
        "SELECT sku, name, price_cents, created_at FROM products WHERE name LIKE ? ESCAPE '\\' ORDER BY price_cents, sku",
        ("%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%",),
    ).fetchall()
    return [Product(*row) for row in rows]
