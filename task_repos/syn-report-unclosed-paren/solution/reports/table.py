"""Render query results as a plain-text table for the admin console."""

from collections.abc import Sequence

from reports.layout import column_widths, format_row


def stringify(value: object) -> str:
    """Text for one cell; ``None`` renders as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def render(headers: list[str], records: Sequence[Sequence[object]]) -> str:
    """Render a header row, a separator line and one line per record."""
    rows = [[stringify(value) for value in record] for record in records]
    widths = column_widths([headers, *rows])
    lines = [
        format_row(headers, widths),
        "-+-".join("-" * width for width in widths),
    ]
    lines.extend(
        format_row(row, widths)
        for row in rows
    )
    return "\n".join(lines)
