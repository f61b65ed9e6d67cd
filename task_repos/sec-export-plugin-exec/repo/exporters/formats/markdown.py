"""GitHub-flavoured Markdown table."""

from collections.abc import Sequence

from exporters.formats._common import Row, cell, columns

CONTENT_TYPE = "text/markdown"


def _line(values: Sequence[str]) -> str:
    return "| " + " | ".join(values) + " |"


def export(rows: Sequence[Row]) -> str:
    """Render rows as a Markdown table; pipes inside values are escaped."""
    names = columns(rows)
    header = [_line(names), "|" + "---|" * len(names)]
    body = [_line([cell(row.get(name)).replace("|", "\\|") for name in names]) for row in rows]
    return "\n".join(header + body) + "\n"
