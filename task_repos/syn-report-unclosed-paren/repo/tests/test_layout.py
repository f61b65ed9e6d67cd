from reports.layout import column_widths, format_row


def test_column_widths_uses_longest_cell():
    assert column_widths([["id", "name"], ["1", "Alice"], ["22", "Bo"]]) == [2, 5]


def test_column_widths_of_ragged_rows():
    assert column_widths([["a"], ["bb", "ccc"]]) == [2, 3]


def test_column_widths_empty():
    assert column_widths([]) == []


def test_format_row_pads_cells():
    assert format_row(["1", "Al"], [3, 5]) == "1   | Al"


def test_format_row_fills_missing_cells():
    assert format_row(["x"], [1, 2]) == "x |"
