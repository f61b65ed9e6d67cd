"""Incremental checksums for uploaded files."""

import hashlib
from collections.abc import Iterable


def sha256_of(chunks: Iterable[bytes]) -> str:
    """Hex SHA-256 digest of the concatenation of ``chunks``."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def human_size(size: int) -> str:
    """Byte count as a short human readable string (``1.5 KiB``)."""
    value = float(size)
    for unit in ("B", "KiB", "MiB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"
