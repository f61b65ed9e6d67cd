import pytest

from docstore.service import DocumentNotFoundError, DocumentService
from docstore.storage import DocumentStorage
from docstore.versions import latest_file, parse_version, version_file


@pytest.fixture
def service(tmp_path):
    return DocumentService(DocumentStorage(tmp_path / "docs"))


def test_first_publish_is_version_one(service):
    assert service.publish("handbook", "hello") == 1
    assert service.current("handbook") == "hello"


def test_current_returns_newest_revision(service):
    service.publish("handbook", "one")
    service.publish("handbook", "two")
    assert service.current("handbook") == "two"
    assert service.revision("handbook", 1) == "one"
    assert service.history("handbook") == [1, 2]


def test_documents_in_subfolders(service):
    service.publish("policies/travel", "economy only")
    assert service.current("policies/travel") == "economy only"


def test_unknown_document(service):
    with pytest.raises(DocumentNotFoundError):
        service.current("missing")


def test_parent_segments_rejected(tmp_path):
    storage = DocumentStorage(tmp_path)
    with pytest.raises(ValueError):
        storage.read("../outside.txt")


def test_version_file_names():
    assert version_file(3) == "v3.txt"
    assert parse_version("v12.txt") == 12
    assert parse_version("notes.md") is None
    assert latest_file(["v1.txt", "v2.txt", "README"]) == "v2.txt"
