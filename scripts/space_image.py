"""The Hugging Face Space image (Dockerfile): its content hash and tag, and an offline build.

`docker build .` works on a Space (registry and network at hand). Here the build needs neither: the host
downloads the server's wheels and the sandbox base set's wheels (`pip download`, cached under .cache/),
and the bubblewrap and tini .debs (`apt-get download`), and stages them with the sources in a small context; the base
is the sandbox image's (sandbox/image.py `pick_base`: a debootstrap Debian holding the host's exact
python3.11 packages, made offline when missing), else python:3.11-slim-bookworm when a registry answers.
The image is tagged autocoderl-space:<content hash> and :latest and labelled with the hash; `ensure`
reuses an image whose label matches.

CLI: `python scripts/space_image.py {hash,tag,ensure,build} [--base IMAGE] [--offline]` (the tag goes to
stdout, progress to stderr).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:  # run as a script: the project's packages come from the checkout
    sys.path.insert(0, str(REPO_ROOT))

from sandbox.image import (  # noqa: E402
    BASE_REPO,
    DEBIAN_SUITE,
    build_debootstrap_base,
    debian_python_packages,
    docker_client,
    image_exists,
    image_target,
    pick_base,
)
from sandbox.requirements import PIP_INSTALLER, Target, _pip_reason, download_base_wheels  # noqa: E402
from sandbox.types import SandboxError  # noqa: E402

DOCKERFILE = REPO_ROOT / "Dockerfile"
SOURCES = ("pyproject.toml", "README.md", "inference.py", "openenv.yaml", "environment", "sandbox", "graders",
           "task_repos")
"""What the Dockerfile copies from the repo (keep in step with its COPY lines)."""
IGNORED = ("__pycache__", "*.pyc", ".pytest_cache", ".ruff_cache", "*.egg-info", ".cache")
OFFLINE_DIR = "space-offline"
"""Staged in the context only: wheels/, debs/ and sandbox-wheels/ (the Dockerfile's COPY glob skips it on a Space)."""
SERVER_WHEELS = REPO_ROOT / ".cache" / "space-wheels"
IMAGE_REPO = "autocoderl-space"
HASH_LABEL = "autocoderl.space.content-hash"
REGISTRY_BASE = "python:3.11-slim-bookworm"
"""The Dockerfile's default: bookworm, whose apt has the python3.11 code under test runs on (python:3.11-slim
itself now follows newer Debian releases, which have no python3.11 package)."""
EXTRA_DEBS = ("bubblewrap", "tini")
BUILD_TOOLS = ("setuptools>=68",)
"""The editable install of the project builds offline from these wheels."""

log = logging.getLogger("autocoderl.space_image")


def _source_files() -> Iterator[tuple[str, Path]]:
    """(context path, file) for every file the Dockerfile copies, sorted, without caches and bytecode."""
    for name in SOURCES:
        top = REPO_ROOT / name
        for path in [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()):
            relative = path.relative_to(REPO_ROOT)
            if not any(fnmatch(part, pattern) for part in relative.parts for pattern in IGNORED):
                yield relative.as_posix(), path


def content_hash() -> str:
    """16 hex digits of sha256 over the Dockerfile, every copied source file, the interpreter's .deb versions and
    what else is staged (the wheels themselves are not hashed: pyproject.toml names them)."""
    digest = hashlib.sha256()
    inputs: list[tuple[str, bytes]] = [("Dockerfile", DOCKERFILE.read_bytes())]
    inputs += [(name, path.read_bytes()) for name, path in _source_files()]
    inputs.append(("interpreter", "\n".join(f"{p}={v}" for p, v in debian_python_packages().items()).encode()))
    inputs.append(("staged", repr((EXTRA_DEBS, BUILD_TOOLS, PIP_INSTALLER)).encode()))
    for name, data in inputs:
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def image_tag() -> str:
    return f"{IMAGE_REPO}:{content_hash()}"


def server_requirements() -> list[str]:
    """The project's runtime dependencies (pyproject.toml)."""
    import tomllib

    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def download_server_wheels(target: Target, echo: Callable[[str], None]) -> Path:
    """Wheels of the server's dependencies (resolved by pip for `target`), the build tools and pip; cached per
    dependency list under .cache/space-wheels/.

    Raises:
        SandboxError: pip could not resolve or download them.
    """
    wanted = [*server_requirements(), *BUILD_TOOLS, PIP_INSTALLER]
    key = hashlib.sha256(f"{target.tag}\n{chr(10).join(wanted)}".encode()).hexdigest()[:16]
    folder = SERVER_WHEELS / f"{key}-{target.tag}"
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    echo(f"downloading the server's wheels for {target.tag} into {folder}")
    result = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                             "--dest", str(folder), *target.pip_args(), *wanted],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SandboxError(f"pip download of the server's dependencies failed: {_pip_reason(result.stderr)}")
    (folder / ".complete").touch()
    return folder


def download_debs(dest: Path, echo: Callable[[str], None]) -> None:
    """The host's apt fetches EXTRA_DEBS (the installed version when there is one) into `dest`.

    Raises:
        SandboxError: apt-get is missing or the download failed.
    """
    if shutil.which("apt-get") is None:
        raise SandboxError("apt-get is missing: the offline build takes its .debs from the host's apt")
    dest.mkdir(parents=True, exist_ok=True)
    wanted = []
    for package in EXTRA_DEBS:
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                                 capture_output=True, text=True).stdout.strip()
        wanted.append(f"{package}={version}" if version else package)
    echo(f"apt-get download {' '.join(wanted)}")
    result = subprocess.run(["apt-get", "download", *wanted], cwd=dest, capture_output=True, text=True,
                            stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SandboxError(f"apt-get download {' '.join(wanted)} failed: {(result.stderr or result.stdout)[-800:]}")


def choose_base(client: Any, *, offline: bool, echo: Callable[[str], None]) -> str:
    """The sandbox image's base when the host has Debian's python3.11 (exact packages, made offline when missing);
    else python:3.11-slim-bookworm when present or pullable; else a plain debootstrap bookworm."""
    import docker.errors

    if debian_python_packages():
        base = pick_base(client, offline=offline, echo=echo)
        if base.startswith(f"{BASE_REPO}:"):
            return base
    if image_exists(client, REGISTRY_BASE):
        return REGISTRY_BASE
    if not offline:
        try:
            client.api.pull(REGISTRY_BASE)
            return REGISTRY_BASE
        except docker.errors.APIError as exc:
            echo(f"cannot pull {REGISTRY_BASE} ({str(exc).splitlines()[0][:160]}); using a debootstrap base")
    base = f"{BASE_REPO}:{DEBIAN_SUITE}"
    if not image_exists(client, base):
        build_debootstrap_base(client, base, echo)
    return base


def stage_context(ctx: Path, target: Target, echo: Callable[[str], None]) -> None:
    """Sources and Dockerfile, plus space-offline/: wheels/ (server), sandbox-wheels/<id>/ (the base set's
    cache as sandbox/requirements.py keeps it) and debs/."""
    shutil.copy2(DOCKERFILE, ctx / "Dockerfile")
    for name, path in _source_files():
        (ctx / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, ctx / name)
    offline = ctx / OFFLINE_DIR
    shutil.copytree(download_server_wheels(target, echo), offline / "wheels",
                    ignore=shutil.ignore_patterns(".complete"))
    base_wheels = download_base_wheels(target, echo)
    shutil.copytree(base_wheels, offline / "sandbox-wheels" / base_wheels.name)
    download_debs(offline / "debs", echo)


def build_image(client: Any, tag: str, *, base: str | None, offline: bool, echo: Callable[[str], None]) -> None:
    """Stage the context, pick the base and build `tag` (plus :latest); older autocoderl-space tags are removed."""
    target = image_target(client)
    base = base or choose_base(client, offline=offline, echo=echo)
    with tempfile.TemporaryDirectory(prefix="autocoderl-space-ctx-") as tmp:
        ctx = Path(tmp)
        stage_context(ctx, target, echo)
        echo(f"building {tag} on {base}")
        labels = {HASH_LABEL: tag.rsplit(":", 1)[-1], "autocoderl.space.base": base}
        # our debootstrap bases hold Debian's python3.11 already: nothing needs the network then
        network = "none" if base.startswith(f"{BASE_REPO}:") else None
        stream = client.api.build(path=str(ctx), dockerfile="Dockerfile", tag=tag, buildargs={"BASE_IMAGE": base},
                                  labels=labels, rm=True, forcerm=True, pull=False, network_mode=network, decode=True)
        for chunk in stream:
            if "error" in chunk:
                raise SandboxError(f"building {tag} failed: {chunk['error'].strip()}", runner="docker")
            if line := (chunk.get("stream") or "").rstrip():
                echo(line)
    if built_hash(client, tag) != tag.rsplit(":", 1)[-1]:
        raise SandboxError(f"building {tag} produced no image carrying its hash label", runner="docker")
    client.api.tag(tag, IMAGE_REPO, "latest")
    _remove_older(client, keep=tag, echo=echo)
    echo(f"built {tag} (also {IMAGE_REPO}:latest)")


def built_hash(client: Any, tag: str) -> str | None:
    """The content hash label of image `tag`, None when there is no such image."""
    if not image_exists(client, tag):
        return None
    return (client.api.inspect_image(tag)["Config"].get("Labels") or {}).get(HASH_LABEL)


def _remove_older(client: Any, keep: str, echo: Callable[[str], None]) -> None:
    """Untag earlier autocoderl-space:<hash> images (never forced: one a container still uses stays)."""
    import docker.errors

    for image in client.api.images(name=IMAGE_REPO):
        for old in image.get("RepoTags") or []:
            if old not in (keep, f"{IMAGE_REPO}:latest") and old.startswith(f"{IMAGE_REPO}:"):
                try:
                    client.api.remove_image(old)
                    echo(f"removed the older {old}")
                except docker.errors.APIError as exc:
                    echo(f"kept {old}: {exc.explanation or exc}")


def ensure_image(*, client: Any = None, base: str | None = None, offline: bool = False, force: bool = False,
                 echo: Callable[[str], None] | None = None) -> str:
    """The Space image's tag, built first unless an image with the current content hash label exists.

    Raises:
        SandboxError: no Docker engine, or the build failed.
    """
    client = client or docker_client()
    tag = image_tag()
    if not force and built_hash(client, tag) == tag.rsplit(":", 1)[-1]:
        (echo or log.info)(f"{tag} exists (content hash label matches)")
        return tag
    build_image(client, tag, base=base, offline=offline, echo=echo or log.info)
    return tag


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/space_image.py", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["hash", "tag", "ensure", "build"],
                        help="hash/tag: print them; ensure: build only when missing; build: always rebuild")
    parser.add_argument("--base", help=f"base image (default: the sandbox image's base, else {REGISTRY_BASE})")
    parser.add_argument("--offline", action="store_true", help="do not try a registry for the base")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    try:
        if args.command == "hash":
            print(content_hash())
        elif args.command == "tag":
            print(image_tag())
        else:
            print(ensure_image(base=args.base, offline=args.offline, force=args.command == "build"))
    except SandboxError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
