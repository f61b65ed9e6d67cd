from reports.table import render, stringify


def test_stringify_float_two_decimals():
    assert stringify(2.5) == "2.50"


def test_render_header_only():
    assert render(["sku", "qty"], []).splitlines() == ["sku | qty", "----+----"]


def test_render_formats_values():
    text = render(["item", "price", "note"], [("tea", 3.5, None), ("coffee", 12.0, "promo")])
    assert text.splitlines() == [
        "item   | price | note",
        "-------+-------+------",
        "tea    | 3.50  |",
        "coffee | 12.00 | promo",
    ]


def test_render_line_count_matches_records():
    records = [(i, f"row{i}") for i in range(5)]
    assert len(render(["n", "label"], records).splitlines()) == 7
