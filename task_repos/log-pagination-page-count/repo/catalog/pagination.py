"""Page-based navigation over search results."""

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    """One page of results plus the metadata the UI needs for navigation."""

    items: list
    number: int
    total_pages: int
    total_items: int

    @property
    def has_next(self) -> bool:
        return self.number < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def page_count(total_items: int, per_page: int) -> int:
    """Number of pages needed to show `total_items` results (an empty result still has one page)."""
    if per_page <= 0:
        raise ValueError("per_page must be positive")
    return max(1, total_items // per_page)


def paginate(items: Sequence, page: int, per_page: int = 20) -> Page:
    """Return page `page` (1-based) of `items`.

    Raises ValueError when the page number is outside 1..total_pages.
    """
    total_pages = page_count(len(items), per_page)
    if page < 1 or page > total_pages:
        raise ValueError(f"page {page} out of range 1..{total_pages}")
    start = (page - 1) * per_page
    end = start + per_page
    return Page(
        items=list(items[start:end]),
        number=page,
        total_pages=total_pages,
        total_items=len(items),
    )
