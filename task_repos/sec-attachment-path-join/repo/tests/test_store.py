import pytest

from attachments.store import MAX_ATTACHMENT_BYTES, AttachmentStore


@pytest.fixture
def store(tmp_path):
    return AttachmentStore(tmp_path / "attachments")


def test_save_and_read_nested_attachment(store):
    store.save("1042/screenshot.png", b"\x89PNG...")
    assert store.read("1042/screenshot.png") == b"\x89PNG..."


def test_list_returns_sorted_relative_names(store):
    store.save("7/b.txt", b"b")
    store.save("7/a.txt", b"a")
    store.save("8/c.txt", b"c")
    assert store.list() == ["7/a.txt", "7/b.txt", "8/c.txt"]
    assert store.list("7") == ["7/a.txt", "7/b.txt"]


def test_delete_reports_whether_file_existed(store):
    store.save("note.txt", b"x")
    assert store.delete("note.txt") is True
    assert store.delete("note.txt") is False


def test_missing_attachment_raises_not_found(store):
    with pytest.raises(FileNotFoundError):
        store.read("nope.txt")


def test_oversized_attachment_rejected(store):
    with pytest.raises(ValueError):
        store.save("big.bin", b"0" * (MAX_ATTACHMENT_BYTES + 1))


def test_parent_directory_segments_rejected(store):
    with pytest.raises(PermissionError):
        store.read("../outside.txt")
