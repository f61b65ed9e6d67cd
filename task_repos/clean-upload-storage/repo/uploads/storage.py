"""Disk storage confined to one root directory."""

from pathlib import Path


class StorageError(PermissionError):
    pass


class DiskStorage:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()

    def resolve(self, relative: str) -> Path:
        """Absolute path of `relative` inside the root; anything else is refused."""
        if not relative or "\x00" in relative:
            raise StorageError("empty or invalid path")
        candidate = (self.root / relative).resolve()
        if candidate == self.root or not candidate.is_relative_to(self.root):
            raise StorageError(f"path escapes storage root: {relative!r}")
        return candidate

    def save(self, relative: str, data: bytes) -> Path:
        path = self.resolve(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def load(self, relative: str) -> bytes:
        return self.resolve(relative).read_bytes()

    def delete(self, relative: str) -> bool:
        path = self.resolve(relative)
        if not path.is_file():
            return False
        path.unlink()
        return True
