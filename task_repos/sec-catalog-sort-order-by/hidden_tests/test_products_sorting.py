import sqlite3

import pytest

from catalog.products import add_product, list_products

ORACLE = (
    "(CASE WHEN (SELECT substr(password_hash, 1, 1) FROM staff WHERE login = 'admin') = '{guess}' "
    "THEN price_cents ELSE -price_cents END)"
)


def skus(products):
    return [p.sku for p in products]


def _attempt(conn, sort):
    try:
        return list_products(conn, "kitchen", sort=sort)
    except ValueError:
        return "rejected"
    except sqlite3.Error as exc:
        return exc


def test_sort_expression_cannot_probe_other_tables(conn):
    assert _attempt(conn, ORACLE.format(guess="p")) == "rejected"
    assert _attempt(conn, ORACLE.format(guess="x")) == "rejected"


def test_subquery_sort_is_rejected(conn):
    with pytest.raises(ValueError):
        list_products(conn, "kitchen", sort="(SELECT count(*) FROM staff)")


def test_unknown_sort_key_is_a_value_error(conn):
    with pytest.raises(ValueError):
        list_products(conn, "kitchen", sort="rating")


def test_newest_first(conn):
    assert skus(list_products(conn, "kitchen", sort="newest", descending=True)) == ["MUG-01", "MUG-02", "PAN-07"]
    assert skus(list_products(conn, "kitchen", sort="newest")) == ["PAN-07", "MUG-02", "MUG-01"]


def test_equal_prices_fall_back_to_sku(conn):
    add_product(conn, "MUG-00", "Travel mug", "kitchen", 1200, "2024-06-01T00:00:00")
    assert skus(list_products(conn, "kitchen", sort="price"))[:2] == ["MUG-00", "MUG-01"]


def test_page_size_is_capped(conn):
    for i in range(120):
        add_product(conn, f"SPOON-{i:03d}", f"Spoon {i}", "kitchen", 300, "2024-02-02T00:00:00")
    assert len(list_products(conn, "kitchen", sort="price", limit=500)) == 100
