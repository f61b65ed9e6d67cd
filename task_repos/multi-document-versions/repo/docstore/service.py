"""Publishing workflow on top of the document storage."""

from docstore.storage import DocumentStorage
from docstore.versions import latest_file, next_version, parse_version, version_file


class DocumentNotFoundError(KeyError):
    """Raised when a document has never been published."""


class DocumentService:
    """Publishes immutable revisions and serves the current one."""

    def __init__(self, storage: DocumentStorage) -> None:
        self.storage = storage

    def publish(self, document: str, content: str) -> int:
        """Store `content` as a new revision of `document`; returns its number."""
        number = next_version(self.storage.list_files(document))
        self.storage.write(f"{document}/{version_file(number)}", content)
        return number

    def current(self, document: str) -> str:
        """Content of the newest revision."""
        filename = latest_file(self.storage.list_files(document))
        if filename is None:
            raise DocumentNotFoundError(document)
        return self.storage.read(f"{document}/{filename}")

    def revision(self, document: str, number: int) -> str:
        return self.storage.read(f"{document}/{version_file(number)}")

    def history(self, document: str) -> list[int]:
        """All revision numbers of `document`, oldest first."""
        numbers = (parse_version(name) for name in self.storage.list_files(document))
        return sorted(number for number in numbers if number is not None)
