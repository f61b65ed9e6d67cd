"""One JSON object per line."""

import json
from collections.abc import Sequence

from exporters.formats._common import Row

CONTENT_TYPE = "application/x-ndjson"


def export(rows: Sequence[Row]) -> str:
    """Render each row as a compact JSON object on its own line."""
    return "".join(json.dumps(row, separators=(",", ":"), default=str) + "\n" for row in rows)
