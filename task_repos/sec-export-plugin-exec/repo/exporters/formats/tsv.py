"""Tab-separated values with a header line."""

from collections.abc import Sequence

from exporters.formats._common import Row, cell, columns

CONTENT_TYPE = "text/tab-separated-values"


def export(rows: Sequence[Row]) -> str:
    """Render rows as TSV; tabs and newlines inside values are replaced by spaces."""
    names = columns(rows)
    lines = ["\t".join(names)]
    for row in rows:
        values = (cell(row.get(name)).replace("\t", " ").replace("\n", " ") for name in names)
        lines.append("\t".join(values))
    return "\n".join(lines) + "\n"
