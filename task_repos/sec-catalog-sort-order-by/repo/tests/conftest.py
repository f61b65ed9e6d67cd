import sqlite3

import pytest

from catalog.products import add_product, create_schema


@pytest.fixture
def conn():
    connection = sqlite3.connect(":memory:")
    create_schema(connection)
    rows = [
        ("MUG-02", "Stoneware mug", "kitchen", 1800, "2024-03-02T10:00:00"),
        ("MUG-01", "Enamel mug", "kitchen", 1200, "2024-05-20T09:30:00"),
        ("PAN-07", "Cast iron pan", "kitchen", 4500, "2023-11-11T08:00:00"),
        ("TEE-XL", "Logo tee", "apparel", 2500, "2024-01-05T12:00:00"),
    ]
    for row in rows:
        add_product(connection, *row)
    connection.execute("CREATE TABLE staff (login TEXT, password_hash TEXT)")
    connection.execute("INSERT INTO staff VALUES ('admin', 'pbkdf2$9f2c')")
    yield connection
    connection.close()
