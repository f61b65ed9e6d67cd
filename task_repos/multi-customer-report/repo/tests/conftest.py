import sqlite3

import pytest

from reports.queries import create_schema


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    create_schema(connection)
    yield connection
    connection.close()


@pytest.fixture
def add_customer(conn):
    def _add(name, email, *amounts):
        cur = conn.execute("INSERT INTO customers (name, email) VALUES (?, ?)", (name, email))
        conn.executemany(
            "INSERT INTO orders (customer_id, amount_cents) VALUES (?, ?)",
            [(cur.lastrowid, amount) for amount in amounts],
        )
        conn.commit()
        return cur.lastrowid

    return _add
