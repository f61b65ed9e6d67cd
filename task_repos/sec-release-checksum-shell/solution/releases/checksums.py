"""SHA-256 manifests for release artifacts.

A manifest uses the same layout as ``sha256sum`` output: one ``<digest>  <name>`` line per
artifact, sorted by name, so it can also be checked by hand with ``sha256sum -c``.
"""

import subprocess
from collections.abc import Iterable
from pathlib import Path


class ChecksumError(RuntimeError):
    """Raised when an artifact cannot be hashed or a manifest line is malformed."""


def file_digest(path: str | Path) -> str:
    """Return the hex SHA-256 digest of the file at ``path``."""
    result = subprocess.run(
        ["sha256sum", "--", str(path)], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ChecksumError(f"cannot hash {path}: {result.stderr.strip()}")
    return result.stdout.split()[0]


def build_manifest(paths: Iterable[str | Path]) -> str:
    """Build a manifest for ``paths``; entries are keyed by file name."""
    artifacts = sorted((Path(p) for p in paths), key=lambda p: p.name)
    lines = [f"{file_digest(p)}  {p.name}" for p in artifacts]
    return "".join(line + "\n" for line in lines)


def parse_manifest(text: str) -> dict[str, str]:
    """Parse manifest text into a ``{name: digest}`` mapping; blank lines are ignored."""
    entries: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        digest, sep, name = line.partition("  ")
        if not sep or len(digest) != 64 or not name:
            raise ChecksumError(f"malformed manifest line {number}: {line!r}")
        entries[name] = digest.lower()
    return entries


def verify_directory(manifest: str, directory: str | Path) -> list[str]:
    """Return the names from ``manifest`` that are missing or differ in ``directory``."""
    base = Path(directory)
    problems = []
    for name, expected in sorted(parse_manifest(manifest).items()):
        candidate = base / name
        if not candidate.is_file() or file_digest(candidate) != expected:
            problems.append(name)
    return problems
