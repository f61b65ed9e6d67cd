import hashlib

import pytest

from releases.checksums import (
    ChecksumError,
    build_manifest,
    file_digest,
    parse_manifest,
    verify_directory,
)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_file_digest_matches_hashlib(tmp_path):
    artifact = tmp_path / "app-1.4.0.tar.gz"
    artifact.write_bytes(b"release bits")
    assert file_digest(artifact) == sha(b"release bits")


def test_missing_file_raises(tmp_path):
    with pytest.raises(ChecksumError):
        file_digest(tmp_path / "nope.whl")


def test_manifest_is_sorted_by_name(tmp_path):
    (tmp_path / "b.whl").write_bytes(b"b")
    (tmp_path / "a.tar.gz").write_bytes(b"a")
    manifest = build_manifest([tmp_path / "b.whl", tmp_path / "a.tar.gz"])
    assert manifest == f"{sha(b'a')}  a.tar.gz\n{sha(b'b')}  b.whl\n"


def test_parse_rejects_malformed_line():
    with pytest.raises(ChecksumError):
        parse_manifest("deadbeef app.whl\n")


def test_verify_reports_changed_and_missing(tmp_path):
    (tmp_path / "a.whl").write_bytes(b"a")
    (tmp_path / "b.whl").write_bytes(b"b")
    manifest = build_manifest([tmp_path / "a.whl", tmp_path / "b.whl"])
    (tmp_path / "b.whl").write_bytes(b"tampered")
    extra = f"{sha(b'c')}  c.whl\n"
    assert verify_directory(manifest + extra, tmp_path) == ["b.whl", "c.whl"]
