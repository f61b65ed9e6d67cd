"""Version file naming: every published revision is stored as v<N>.txt."""

import re

_VERSION_FILE = re.compile(r"^v(\d+)\.txt$")


def version_file(number: int) -> str:
    """File name for revision `number` (1-based)."""
    if number < 1:
        raise ValueError("versions start at 1")
    return f"v{number}.txt"


def parse_version(filename: str) -> int | None:
    """Revision number encoded in `filename`, or None for unrelated files."""
    match = _VERSION_FILE.match(filename)
    return int(match.group(1)) if match else None


def latest_file(filenames: list[str]) -> str | None:
    """The version file with the highest revision number, ignoring other files."""
    versions = sorted(
        (name for name in filenames if parse_version(name) is not None),
        key=lambda name: parse_version(name) or 0,
    )
    return versions[-1] if versions else None


def next_version(filenames: list[str]) -> int:
    """Revision number for the next publish."""
    latest = latest_file(filenames)
    if latest is None:
        return 1
    return (parse_version(latest) or 0) + 1
