import io

from streaming.reader import ChunkReader


def test_chunks_have_requested_size():
    reader = ChunkReader(io.BytesIO(b"abcdefg"), chunk_size=3)
    assert list(reader) == [b"abc", b"def", b"g"]


def test_progress_counters():
    reader = ChunkReader(io.BytesIO(b"x" * 10), chunk_size=4)
    reader.read_all()
    assert reader.bytes_read == 10
    assert reader.chunks_read == 3
