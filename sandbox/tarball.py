"""Build the in-memory tar stream that carries a repo into a sandbox (regular files only)."""

from __future__ import annotations

import io
import tarfile
from collections.abc import Mapping


def build_tar(files: Mapping[str, bytes]) -> bytes:
    """Pack `files` (relative posix path -> content) as an uncompressed tar with fixed metadata.

    Only bytes become members, always as regular files: a symlink, device or path object handed in
    as a value is refused, so nothing but plain files can reach the sandbox's extractor.

    Raises:
        ValueError: a path is absolute, climbs out with `..`, or is empty; or a value is not bytes.
    """
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(files):
            parts = path.split("/")
            if not path or path.startswith("/") or ".." in parts or "" in parts:
                raise ValueError(f"unsafe path in repo: {path!r}")
            if not isinstance(files[path], bytes | bytearray):
                raise ValueError(f"not a regular file's content in repo: {path!r} ({type(files[path]).__name__})")
            info = tarfile.TarInfo(path)
            info.size = len(files[path])
            info.mode = 0o644
            info.mtime = 0
            tar.addfile(info, io.BytesIO(files[path]))
    return buf.getvalue()
