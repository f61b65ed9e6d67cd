from catalog.products import list_products, search_products


def skus(products):
    return [p.sku for p in products]


def test_default_sort_is_by_name(conn):
    assert skus(list_products(conn, "kitchen")) == ["PAN-07", "MUG-01", "MUG-02"]


def test_sort_by_price_both_directions(conn):
    assert skus(list_products(conn, "kitchen", sort="price")) == ["MUG-01", "MUG-02", "PAN-07"]
    assert skus(list_products(conn, "kitchen", sort="price", descending=True)) == ["PAN-07", "MUG-02", "MUG-01"]


def test_limit_is_applied(conn):
    assert skus(list_products(conn, "kitchen", sort="price", limit=2)) == ["MUG-01", "MUG-02"]


def test_other_category_is_excluded(conn):
    assert skus(list_products(conn, "apparel")) == ["TEE-XL"]


def test_search_is_parametrised_and_escapes_wildcards(conn):
    assert skus(search_products(conn, "MUG")) == ["MUG-01", "MUG-02"]
    assert search_products(conn, "%") == []
