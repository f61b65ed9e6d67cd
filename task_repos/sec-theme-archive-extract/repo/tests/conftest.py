import io
import json
import tarfile

import pytest


def _add(tar, name, data=b"", kind=tarfile.REGTYPE, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    info.mode = 0o755 if kind == tarfile.DIRTYPE else 0o644
    info.size = len(data) if kind == tarfile.REGTYPE else 0
    tar.addfile(info, io.BytesIO(data) if kind == tarfile.REGTYPE else None)


@pytest.fixture
def make_theme(tmp_path):
    """Build a .tar.gz theme; ``entries`` are (name, bytes) or (name, kind, linkname)."""

    def build(slug="aurora", entries=(), manifest=True, name="theme.tar.gz"):
        path = tmp_path / name
        with tarfile.open(path, "w:gz") as tar:
            if manifest:
                _add(tar, "theme.json", json.dumps({"slug": slug, "name": slug.title()}).encode())
            for entry in entries:
                if len(entry) == 2:
                    _add(tar, entry[0], entry[1])
                else:
                    _add(tar, entry[0], kind=entry[1], linkname=entry[2])
        return path

    return build
