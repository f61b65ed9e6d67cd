"""File-system storage for published documents."""

from pathlib import Path


class DocumentStorage:
    """Stores document files below one base directory."""

    def __init__(self, base_dir: Path) -> None:
        self.base_dir = Path(base_dir)

    def path_for(self, name: str) -> Path:
        """Location of the stored file or folder called `name` (a relative path)."""
        if not name or ".." in name.split("/"):
            raise ValueError(f"invalid document path: {name!r}")
        return self.base_dir / name

    def write(self, name: str, content: str) -> None:
        path = self.path_for(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")

    def read(self, name: str) -> str:
        return self.path_for(name).read_text(encoding="utf-8")

    def list_files(self, folder: str) -> list[str]:
        """File names directly inside `folder`; empty if the folder does not exist."""
        path = self.path_for(folder)
        if not path.is_dir():
            return []
        return sorted(child.name for child in path.iterdir() if child.is_file())
