import pytest

from reviews.summary import format_average, summarize


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [([4, 5], 4.5), ([5, 4, 4], 4.3), ([1, 2], 1.5), ([5, 5, 5, 4], 4.8), ([3, 3, 4], 3.3)],
)
def test_average_keeps_fraction(ratings, expected):
    assert summarize(ratings).average == pytest.approx(expected)


def test_format_fractional_average():
    assert format_average(summarize([5, 4, 4, 5, 3])) == "4.2 out of 5 (5 reviews)"


def test_whole_average_unchanged():
    assert summarize([2, 4]).average == pytest.approx(3.0)
