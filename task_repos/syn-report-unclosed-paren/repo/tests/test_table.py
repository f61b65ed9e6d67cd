from reports.table import render, stringify


def test_stringify_none_is_blank():
    assert stringify(None) == ""


def test_render_simple_table():
    text = render(["id", "name"], [(1, "Alice"), (2, "Bob")])
    assert text.splitlines() == [
        "id | name",
        "---+------",
        "1  | Alice",
        "2  | Bob",
    ]
