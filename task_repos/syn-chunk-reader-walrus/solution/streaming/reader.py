"""Read binary streams in fixed-size chunks while keeping track of progress."""

from collections.abc import Iterator
from typing import BinaryIO

DEFAULT_CHUNK_SIZE = 64 * 1024


class ChunkReader:
    """Iterate over a binary stream in chunks of at most ``chunk_size`` bytes."""

    def __init__(self, stream: BinaryIO, chunk_size: int = DEFAULT_CHUNK_SIZE) -> None:
        if chunk_size <= 0:
            raise ValueError("chunk_size must be positive")
        self._stream = stream
        self._chunk_size = chunk_size
        self.bytes_read = 0
        self.chunks_read = 0

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self._stream.read(self._chunk_size):
            self.bytes_read += len(chunk)
            self.chunks_read += 1
            yield chunk

    def read_all(self) -> bytes:
        """Consume the rest of the stream and return it."""
        return b"".join(self)
