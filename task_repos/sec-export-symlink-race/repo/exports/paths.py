"""Validation of export file names inside the shared export directory."""

import re
from pathlib import Path

FILENAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.csv")


def check_target(export_dir: Path, filename: str) -> Path:
    """Return the path ``filename`` will be written to, or raise if it is unusable.

    The export directory is shared with the SFTP pickup service, so an existing
    entry must be a regular file that we are allowed to replace.
    """
    if not FILENAME_RE.fullmatch(filename):
        raise ValueError(f"invalid export file name: {filename!r}")
    path = export_dir / filename
    if path.is_symlink():
        raise PermissionError(f"refusing to write through symlink: {path}")
    if path.exists() and not path.is_file():
        raise PermissionError(f"not a regular file: {path}")
    return path
