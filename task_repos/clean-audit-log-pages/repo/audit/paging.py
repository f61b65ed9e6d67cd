"""Page arithmetic shared by list endpoints."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def clamp_per_page(requested: int | None) -> int:
    if requested is None:
        return DEFAULT_PER_PAGE
    return max(1, min(requested, MAX_PER_PAGE))


def paginate(items: Sequence[T], page: int, per_page: int) -> Page[T]:
    """Slice out page number `page` (1-based); pages past the end are empty."""
    if page < 1:
        raise ValueError("page numbers start at 1")
    start = (page - 1) * per_page
    return Page(list(items[start:start + per_page]), page, per_page, len(items))
