"""Helpers shared by the format modules."""

from collections.abc import Sequence
from typing import Any

Row = dict[str, Any]


def columns(rows: Sequence[Row]) -> list[str]:
    """Column names in first-seen order across all rows."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def cell(value: Any) -> str:
    """Render one value as text; ``None`` becomes an empty cell."""
    return "" if value is None else str(value)
