"""Names for stored uploads."""

import secrets
from pathlib import PurePosixPath

ALLOWED_EXTENSIONS = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".txt", ".csv"})


class RejectedUploadError(ValueError):
    pass


def extension_of(filename: str) -> str:
    """Lower-cased last suffix of the client-supplied file name; must be allowed."""
    suffix = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise RejectedUploadError(f"file type not allowed: {suffix or 'none'}")
    return suffix


def new_upload_id() -> str:
    return secrets.token_hex(16)


def stored_name(upload_id: str, extension: str) -> str:
    """Uploads are sharded by the first two characters of their id."""
    return f"{upload_id[:2]}/{upload_id}{extension}"
