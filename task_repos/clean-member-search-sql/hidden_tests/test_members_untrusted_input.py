from datetime import date

import pytest


def test_quote_in_search_is_literal(directory):
    assert directory.find("x' OR '1'='1") == []


def test_injection_leaves_table_intact(directory, conn):
    directory.find("'); DROP TABLE members; --")
    assert conn.execute("SELECT COUNT(*) FROM members").fetchone()[0] == 3


def test_wildcards_match_literally(directory):
    directory.register("100% Club", "club@example.com", "Leeds", date(2024, 3, 3))
    directory.register("snake_case fan", "snake@example.com", "York", date(2024, 3, 4))
    assert [m.name for m in directory.find("0%")] == ["100% Club"]
    assert [m.name for m in directory.find("e_c")] == ["snake_case fan"]
    assert directory.find("%%") == []


def test_unknown_sort_rejected(directory):
    with pytest.raises(ValueError):
        directory.browse("name; DROP TABLE members")


def test_sort_by_city(directory):
    assert [m.city for m in directory.browse("city")] == ["Arlington", "London", "Wilmslow"]


def test_per_page_clamped(directory):
    assert len(directory.browse(per_page=0)) == 1
    assert len(directory.browse(per_page=10_000)) == 3
    with pytest.raises(ValueError):
        directory.browse(page=0)
