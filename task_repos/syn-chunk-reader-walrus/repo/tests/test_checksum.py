import hashlib

from streaming.checksum import human_size, sha256_of


def test_sha256_of_chunks_matches_whole():
    assert sha256_of([b"hello ", b"world"]) == hashlib.sha256(b"hello world").hexdigest()


def test_human_size():
    assert human_size(512) == "512 B"
    assert human_size(1536) == "1.5 KiB"
    assert human_size(3 * 1024 * 1024) == "3.0 MiB"
