import pytest

from uploads.naming import RejectedUploadError, extension_of
from uploads.service import UploadService
from uploads.storage import DiskStorage


@pytest.fixture
def service(tmp_path):
    return UploadService(DiskStorage(tmp_path / "store"))


def test_round_trip(service):
    record = service.upload("Invoice March.PDF", b"%PDF-1.7 ...")
    assert record.path.endswith(".pdf")
    assert service.download(record.upload_id) == (record, b"%PDF-1.7 ...")


def test_ids_are_unique(service):
    ids = {service.upload("a.txt", b"x").upload_id for _ in range(20)}
    assert len(ids) == 20


def test_disallowed_extension(service):
    with pytest.raises(RejectedUploadError):
        service.upload("run.sh", b"#!/bin/sh")


def test_extension_is_last_suffix():
    assert extension_of("scan.tar.png") == ".png"
    with pytest.raises(RejectedUploadError):
        extension_of("report.pdf.exe")


def test_remove(service):
    record = service.upload("notes.txt", b"hello")
    assert service.remove(record.upload_id)
    with pytest.raises(KeyError):
        service.download(record.upload_id)
