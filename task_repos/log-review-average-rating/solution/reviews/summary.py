"""Star-rating summary shown on product pages."""

from collections import Counter
from dataclasses import dataclass

STARS = range(1, 6)


@dataclass(frozen=True)
class RatingSummary:
    count: int
    average: float
    histogram: dict[int, int]
    recommend_percent: int


def summarize(ratings: list[int]) -> RatingSummary:
    """Summarize 1-5 star ratings.

    `average` is rounded to one decimal place (shown as "4.3 out of 5"); reviews with
    4 or 5 stars count as recommending the product.
    """
    if any(rating not in STARS for rating in ratings):
        raise ValueError("ratings must be whole stars between 1 and 5")
    count = len(ratings)
    if count == 0:
        return RatingSummary(0, 0.0, dict.fromkeys(STARS, 0), 0)
    counts = Counter(ratings)
    histogram = {star: counts[star] for star in STARS}
    average = round(sum(ratings) / count, 1)
    recommend = round(100 * (counts[4] + counts[5]) / count)
    return RatingSummary(count, average, histogram, recommend)


def format_average(summary: RatingSummary) -> str:
    if summary.count == 0:
        return "No reviews yet"
    noun = "review" if summary.count == 1 else "reviews"
    return f"{summary.average:.1f} out of 5 ({summary.count} {noun})"
