from warehouse.stock import StockItem, low_stock, pick_order


def make(sku, qty, bin_code):
    return StockItem(sku=sku, name=sku.lower(), quantity=qty, bin_code=bin_code)


def test_pick_order_groups_by_aisle():
    items = [make("B", 1, "A2-03"), make("A", 1, "A1-10"), make("C", 1, "A1-02")]
    assert [i.sku for i in pick_order(items)] == ["C", "A", "B"]


def test_low_stock_threshold():
    items = [make("X", 2, "A1-01"), make("Y", 5, "A1-02"), make("Z", 0, "A1-03")]
    assert low_stock(items) == ["X", "Z"]
