from warehouse.labels import shelf_label, shorten
from warehouse.stock import StockItem


def test_shorten_keeps_short_text():
    assert shorten("Tea") == "Tea"


def test_shelf_label_two_lines():
    item = StockItem("TEA-001", "Green tea 100g", 12, "A1-04")
    assert shelf_label(item) == "Green tea 100g\nTEA-001 x12 @ A1-04"
