import pytest

from reviews.summary import format_average, summarize


def test_uniform_ratings():
    summary = summarize([5, 5, 5])
    assert summary.average == 5.0
    assert summary.recommend_percent == 100


def test_histogram_covers_all_stars():
    assert summarize([1, 3, 3, 5]).histogram == {1: 1, 2: 0, 3: 2, 4: 0, 5: 1}


def test_recommend_percent():
    assert summarize([5, 4, 2]).recommend_percent == 67


def test_no_reviews():
    summary = summarize([])
    assert summary.count == 0
    assert summary.average == 0.0
    assert format_average(summary) == "No reviews yet"


@pytest.mark.parametrize("bad", [0, 6, -1])
def test_out_of_range_rating_rejected(bad):
    with pytest.raises(ValueError):
        summarize([4, bad])


def test_format_single_review():
    assert format_average(summarize([4])) == "4.0 out of 5 (1 review)"
