"""Remove sandbox environments nothing uses any more: base images of older checkouts, derived images
and venvs of requirement sets no loaded task declares (or built on an older base).

What is kept is decided by the caller (the current base and the keys of the current tasks' sets), so
a prune never touches what the next evaluation needs. Images still used by a container are left.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sandbox.derived_image import BASE_LABEL, ENV_REPO
from sandbox.image import HASH_LABEL, IMAGE_REPO
from sandbox.venvs import env_root


def stale_images(client: Any, keep: Iterable[str]) -> list[str]:
    """Our base/derived image tags not in `keep` (`:latest` stays while it names a kept image), then the ids
    of untagged images our builds left (labelled by them)."""
    keep = set(keep)
    stale, dangling = [], []
    for image in client.api.images():
        tags = [t for t in image.get("RepoTags") or [] if t.rpartition(":")[0] in (IMAGE_REPO, ENV_REPO)]
        kept = keep.intersection(tags)
        stale += [t for t in tags if t not in keep and not (kept and t == f"{IMAGE_REPO}:latest")]
        labels = image.get("Labels") or {}
        untagged = not [t for t in image.get("RepoTags") or [] if t != "<none>:<none>"]
        if untagged and (HASH_LABEL in labels or BASE_LABEL in labels):
            dangling.append(image["Id"])
    return sorted(stale) + dangling


def remove_images(client: Any, tags: Iterable[str]) -> dict[str, str]:
    """tag or id -> "removed" or why not (never forced: an image a container still uses stays)."""
    import docker.errors

    done = {}
    for tag in tags:
        try:
            client.api.remove_image(tag, noprune=False)
            done[tag] = "removed"
        except docker.errors.APIError as exc:
            done[tag] = f"kept: {exc.explanation or exc}"
    return done


def stale_venvs(keep: Iterable[str]) -> list[Path]:
    """Venv folders (and their lock files) under the env root whose names are not in `keep`."""
    keep = set(keep)
    root = env_root()
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.name.removesuffix(".lock") not in keep)


def remove_paths(paths: Iterable[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
