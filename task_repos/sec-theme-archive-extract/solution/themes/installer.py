"""Installation of storefront themes uploaded by merchants.

A theme is a ``.tar.gz`` archive with ``theme.json`` at its top level; everything else
(templates, partials, assets in nested folders) is unpacked as-is into ``<themes_dir>/<slug>``.
"""

import json
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

MANIFEST = "theme.json"
SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


class ThemeError(ValueError):
    """Raised when an uploaded theme cannot be installed."""


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise ThemeError(f"archive has no {MANIFEST}") from None
    handle = tar.extractfile(member)
    if handle is None:
        raise ThemeError(f"{MANIFEST} is not a regular file")
    try:
        manifest = json.load(handle)
    except ValueError as exc:
        raise ThemeError(f"{MANIFEST} is not valid JSON") from exc
    if not isinstance(manifest, dict) or not SLUG.fullmatch(str(manifest.get("slug", ""))):
        raise ThemeError("theme slug must be 1-40 lowercase letters, digits or dashes")
    return manifest


def _safe_members(tar: tarfile.TarFile, target: Path) -> list[tarfile.TarInfo]:
    """Every member, checked: only regular files and directories that stay inside ``target``."""
    root = target.resolve()
    members = []
    for member in tar.getmembers():
        if not (member.isfile() or member.isdir()):
            raise ThemeError(f"{member.name}: links and special files are not allowed")
        destination = (root / member.name).resolve()
        if member.name.startswith("/") or (destination != root and root not in destination.parents):
            raise ThemeError(f"{member.name}: path leaves the theme directory")
        members.append(member)
    return members


def install_theme(archive: str | Path, themes_dir: str | Path) -> dict[str, Any]:
    """Unpack ``archive`` into the themes directory, replacing an older version; return the manifest."""
    try:
        with tarfile.open(archive, "r:*") as tar:
            manifest = _read_manifest(tar)
            target = Path(themes_dir) / manifest["slug"]
            if target.exists():
                shutil.rmtree(target)
            members = _safe_members(tar, target)
            target.mkdir(parents=True)
            for member in members:
                tar.extract(member, target)
    except tarfile.TarError as exc:
        raise ThemeError(f"cannot unpack theme: {exc}") from exc
    return manifest


def installed_files(themes_dir: str | Path, slug: str) -> list[str]:
    """Relative paths (POSIX style) of all files of an installed theme, sorted."""
    root = Path(themes_dir) / slug
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
