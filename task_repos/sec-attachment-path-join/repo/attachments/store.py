"""File storage for ticket attachments kept below a single storage root."""

import os
from pathlib import Path

MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


class AttachmentStore:
    """Stores attachment files under ``root`` using caller-supplied relative names.

    Names may contain sub-directories (``"1042/screenshot.png"``); they are always
    interpreted relative to the storage root.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _locate(self, name: str) -> Path:
        """Map an attachment name to its location on disk."""
        if not name or "\x00" in name:
            raise PermissionError(f"invalid attachment name: {name!r}")
        if ".." in name.replace("\\", "/").split("/"):
            raise PermissionError(f"invalid attachment name: {name!r}")
        return Path(os.path.join(self.root, name))

    def save(self, name: str, data: bytes) -> Path:
        """Write ``data`` as attachment ``name`` and return its path."""
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValueError("attachment too large")
        path = self._locate(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def read(self, name: str) -> bytes:
        """Return the content of attachment ``name``."""
        path = self._locate(name)
        if not path.is_file():
            raise FileNotFoundError(name)
        return path.read_bytes()

    def delete(self, name: str) -> bool:
        """Remove attachment ``name``; return False when it did not exist."""
        path = self._locate(name)
        if not path.is_file():
            return False
        path.unlink()
        return True

    def list(self, prefix: str = "") -> list[str]:
        """Names of all stored attachments below ``prefix``, sorted."""
        base = self._locate(prefix) if prefix else self.root
        if not base.is_dir():
            return []
        return sorted(
            p.relative_to(self.root).as_posix() for p in base.rglob("*") if p.is_file()
        )
