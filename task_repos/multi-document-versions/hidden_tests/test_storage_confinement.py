import pytest

from docstore.service import DocumentService
from docstore.storage import DocumentStorage


@pytest.fixture
def outside(tmp_path):
    folder = tmp_path / "private"
    folder.mkdir()
    (folder / "v1.txt").write_text("payroll")
    return folder


def test_absolute_path_cannot_be_read(tmp_path, outside):
    storage = DocumentStorage(tmp_path / "docs")
    with pytest.raises((ValueError, PermissionError)):
        storage.read(str(outside / "v1.txt"))


def test_absolute_document_name_not_served(tmp_path, outside):
    service = DocumentService(DocumentStorage(tmp_path / "docs"))
    with pytest.raises((ValueError, PermissionError)):
        service.current(str(outside))


def test_publish_cannot_write_outside_base(tmp_path, outside):
    service = DocumentService(DocumentStorage(tmp_path / "docs"))
    with pytest.raises((ValueError, PermissionError)):
        service.publish(str(outside), "overwritten")
    assert (outside / "v1.txt").read_text() == "payroll"
    assert not (outside / "v2.txt").exists()


def test_nested_relative_paths_still_work(tmp_path):
    storage = DocumentStorage(tmp_path / "docs")
    storage.write("a/b/v1.txt", "deep")
    assert storage.read("a/b/v1.txt") == "deep"
    with pytest.raises(ValueError):
        storage.read("a/../../escape.txt")
