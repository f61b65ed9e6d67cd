import hashlib
import io

import pytest

from streaming.checksum import sha256_of
from streaming.reader import DEFAULT_CHUNK_SIZE, ChunkReader


def test_empty_stream_yields_nothing():
    reader = ChunkReader(io.BytesIO(b""))
    assert list(reader) == []
    assert reader.bytes_read == 0
    assert reader.chunks_read == 0


def test_default_chunk_size():
    payload = b"a" * (DEFAULT_CHUNK_SIZE + 1)
    chunks = list(ChunkReader(io.BytesIO(payload)))
    assert [len(c) for c in chunks] == [DEFAULT_CHUNK_SIZE, 1]


def test_read_all_after_partial_iteration():
    reader = ChunkReader(io.BytesIO(b"0123456789"), chunk_size=4)
    first = next(iter(reader))
    assert first == b"0123"
    assert reader.read_all() == b"456789"
    assert reader.bytes_read == 10


def test_checksum_of_stream():
    data = bytes(range(256)) * 5
    reader = ChunkReader(io.BytesIO(data), chunk_size=100)
    assert sha256_of(reader) == hashlib.sha256(data).hexdigest()


def test_invalid_chunk_size():
    with pytest.raises(ValueError):
        ChunkReader(io.BytesIO(b"x"), chunk_size=0)
