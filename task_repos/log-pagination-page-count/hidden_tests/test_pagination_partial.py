import pytest

from catalog.pagination import page_count, paginate


@pytest.mark.parametrize(
    ("total", "per_page", "expected"),
    [(0, 20, 1), (1, 20, 1), (20, 20, 1), (21, 20, 2), (45, 20, 3), (99, 10, 10)],
)
def test_page_count_rounds_up(total, per_page, expected):
    assert page_count(total, per_page) == expected


def test_partial_last_page_is_reachable():
    page = paginate(list(range(45)), 3, per_page=20)
    assert page.items == list(range(40, 45))
    assert page.total_pages == 3
    assert not page.has_next


def test_second_page_links_to_partial_page():
    page = paginate(list(range(45)), 2, per_page=20)
    assert page.has_next


def test_small_result_below_page_size():
    page = paginate(["a", "b", "c"], 1, per_page=2)
    assert page.total_pages == 2
    assert paginate(["a", "b", "c"], 2, per_page=2).items == ["c"]


def test_still_rejects_page_past_the_end():
    with pytest.raises(ValueError):
        paginate(list(range(45)), 4, per_page=20)
