"""Attachment uploads for support tickets."""

from dataclasses import dataclass

from uploads.naming import RejectedUploadError, extension_of, new_upload_id, stored_name
from uploads.storage import DiskStorage

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class StoredUpload:
    upload_id: str
    original_name: str
    path: str
    size: int


class UploadService:
    def __init__(self, storage: DiskStorage) -> None:
        self._storage = storage
        self._index: dict[str, StoredUpload] = {}

    def upload(self, filename: str, data: bytes) -> StoredUpload:
        if not data:
            raise RejectedUploadError("empty file")
        if len(data) > MAX_BYTES:
            raise RejectedUploadError("file larger than 5 MiB")
        upload_id = new_upload_id()
        path = stored_name(upload_id, extension_of(filename))
        self._storage.save(path, data)
        record = StoredUpload(upload_id, filename, path, len(data))
        self._index[upload_id] = record
        return record

    def download(self, upload_id: str) -> tuple[StoredUpload, bytes]:
        record = self._index.get(upload_id)
        if record is None:
            raise KeyError(upload_id)
        return record, self._storage.load(record.path)

    def remove(self, upload_id: str) -> bool:
        record = self._index.pop(upload_id, None)
        return record is not None and self._storage.delete(record.path)
