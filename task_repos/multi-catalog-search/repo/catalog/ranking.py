"""Ordering of search hits."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Hit:
    sku: str
    title: str
    score: float


def top_hits(hits: list[Hit], limit: int) -> list[Hit]:
    """The `limit` best hits, highest score first; equal scores are ordered by SKU."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    selected = hits[:limit]
    return sorted(selected, key=lambda hit: (-hit.score, hit.sku))
