import os

import pytest

from uploads.naming import RejectedUploadError
from uploads.service import MAX_BYTES, UploadService
from uploads.storage import DiskStorage, StorageError


@pytest.fixture
def storage(tmp_path):
    return DiskStorage(tmp_path / "store")


def test_parent_traversal_refused(storage, tmp_path):
    (tmp_path / "outside.txt").write_text("private")
    with pytest.raises(StorageError):
        storage.load("../outside.txt")
    with pytest.raises(StorageError):
        storage.load("ab/../../outside.txt")


def test_absolute_path_refused(storage, tmp_path):
    target = tmp_path / "outside.txt"
    target.write_text("private")
    with pytest.raises(StorageError):
        storage.load(str(target))
    with pytest.raises(StorageError):
        storage.save(str(tmp_path / "new.txt"), b"x")
    assert not (tmp_path / "new.txt").exists()


def test_symlink_escape_refused(storage, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "data.txt").write_text("private")
    storage.root.mkdir(parents=True, exist_ok=True)
    os.symlink(outside, storage.root / "link")
    with pytest.raises(StorageError):
        storage.load("link/data.txt")


def test_root_itself_and_nul_refused(storage):
    for bad in ("", ".", "a/..", "x\x00.txt"):
        with pytest.raises(StorageError):
            storage.resolve(bad)


def test_client_filename_never_used_as_path(tmp_path, storage):
    service = UploadService(storage)
    record = service.upload("../../../etc/evil.png", b"\x89PNG")
    assert ".." not in record.path
    assert storage.resolve(record.path).is_relative_to(storage.root)
    assert not (tmp_path / "etc").exists()


def test_size_limit_is_inclusive(storage):
    service = UploadService(storage)
    assert service.upload("big.txt", b"a" * MAX_BYTES).size == MAX_BYTES
    with pytest.raises(RejectedUploadError):
        service.upload("big.txt", b"a" * (MAX_BYTES + 1))


def test_unknown_id(storage):
    with pytest.raises(KeyError):
        UploadService(storage).download("../../etc/passwd")
