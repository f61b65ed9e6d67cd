import pytest

from catalog.pagination import page_count, paginate


def test_exact_multiple_of_page_size():
    assert page_count(40, 20) == 2


def test_empty_result_has_one_page():
    page = paginate([], 1, per_page=10)
    assert page.items == []
    assert page.total_pages == 1
    assert not page.has_next
    assert not page.has_previous


def test_first_page_items_and_navigation():
    page = paginate(list(range(40)), 1, per_page=20)
    assert page.items == list(range(20))
    assert page.has_next
    assert not page.has_previous


def test_last_full_page():
    page = paginate(list(range(40)), 2, per_page=20)
    assert page.items == list(range(20, 40))
    assert not page.has_next
    assert page.has_previous
    assert page.total_items == 40


@pytest.mark.parametrize("page", [0, -1, 3])
def test_out_of_range_page_rejected(page):
    with pytest.raises(ValueError):
        paginate(list(range(40)), page, per_page=20)


def test_non_positive_page_size_rejected():
    with pytest.raises(ValueError):
        page_count(10, 0)
