"""Build the in-memory tar stream that carries a repo into a sandbox (regular files only)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Mapping


def build_tar(files: Mapping[str, bytes]) -> bytes:
    """Pack `files` (relative posix path -> content) as an uncompressed tar with fixed metadata.

    Raises:
        ValueError: a path is absolute, climbs out with `..`, or is empty.
    """
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(files):
            parts = path.split("/")
            if not path or path.startswith("/") or ".." in parts or "" in parts:
                raise ValueError(f"unsafe path in repo: {path!r}")
            info = tarfile.TarInfo(path)
            info.size = len(files[path])
            info.mode = 0o644
            info.mtime = 0
            tar.addfile(info, io.BytesIO(files[path]))
    return buf.getvalue()
