import hashlib

from releases.checksums import build_manifest, file_digest, parse_manifest, verify_directory


def _digest_or_none(path):
    try:
        return file_digest(path)
    except Exception:
        return None


def test_semicolon_in_artifact_name_runs_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    artifact = tmp_path / "app.tar.gz;touch pwned"
    artifact.write_bytes(b"payload")
    digest = _digest_or_none(artifact)
    assert not (tmp_path / "pwned").exists()
    assert digest == hashlib.sha256(b"payload").hexdigest()


def test_command_substitution_in_artifact_name_runs_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    artifact = tmp_path / "notes-$(touch pwned2).txt"
    artifact.write_bytes(b"notes")
    digest = _digest_or_none(artifact)
    assert not (tmp_path / "pwned2").exists()
    assert digest == hashlib.sha256(b"notes").hexdigest()


def test_artifact_name_with_spaces(tmp_path):
    artifact = tmp_path / "Release Notes 1.4.txt"
    artifact.write_bytes(b"changes")
    assert file_digest(artifact) == hashlib.sha256(b"changes").hexdigest()


def test_manifest_round_trip_verifies_clean(tmp_path):
    names = ["app-1.4.0.tar.gz", "app-1.4.0-py3-none-any.whl"]
    for i, name in enumerate(names):
        (tmp_path / name).write_bytes(bytes([i]) * 100)
    manifest = build_manifest(tmp_path / n for n in names)
    assert sorted(parse_manifest(manifest)) == sorted(names)
    assert verify_directory(manifest, tmp_path) == []
