from warehouse.labels import LABEL_WIDTH, pick_list, shelf_label, shorten
from warehouse.stock import StockItem


def test_shorten_long_text():
    text = "x" * 40
    result = shorten(text)
    assert len(result) == LABEL_WIDTH
    assert result.endswith("…")


def test_shelf_label_truncates_name():
    item = StockItem("MUG-7", "Extra large ceramic coffee mug, blue glaze", 3, "B2-11")
    first, second = shelf_label(item).split("\n")
    assert len(first) == LABEL_WIDTH
    assert second == "MUG-7 x3 @ B2-11"


def test_pick_list_numbered():
    items = [StockItem("A", "Apples", 4, "A1-01"), StockItem("B", "Bananas", 12, "A1-02")]
    assert pick_list(items).splitlines() == [
        "  1. Apples                  4  A1-01",
        "  2. Bananas                12  A1-02",
    ]
