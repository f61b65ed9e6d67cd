"""The sandbox image: its content hash and tag, and `ensure_image()` to build it when missing.

The tag is `autocoderl-sandbox:<content hash>`, where the hash covers Dockerfile.sandbox, the harness
files and the pinned requirements: change any of them and the runner asks for a new image. Building
works without a registry: the host downloads the wheels (`pip download`) and, when the default base
cannot be pulled, makes a Debian base with debootstrap and `docker import`s it.

CLI: `python -m sandbox.image {hash,tag,ensure,build} [--base IMAGE] [--offline] [--force]`.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox.interpreter import DEBIAN_PACKAGES, sandbox_interpreter
from sandbox.requirements import BASE_REQUIREMENTS, PIP_INSTALLER, Target, download_base_wheels
from sandbox.types import SandboxError

REPO_ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = REPO_ROOT / "Dockerfile.sandbox"
HARNESS_DIR = Path(__file__).resolve().parent / "harness"
REQUIREMENTS = BASE_REQUIREMENTS
IMAGE_REPO = "autocoderl-sandbox"
BASE_REPO = "autocoderl-sandbox-base"
DEFAULT_BASE = "python:3.11-slim"
DEBIAN_SUITE = "bookworm"  # Debian 12: Python 3.11, like the default base
HASH_LABEL = "autocoderl.sandbox.content-hash"
PYTHON_LABEL = "autocoderl.sandbox.python"
"""The image interpreter's `sys.version`, when the base was given the host's own python3.11 build."""

log = logging.getLogger("autocoderl.sandbox.image")


def hashed_inputs() -> dict[str, bytes]:
    """Everything the image is made from, as repo-relative path -> bytes (the build context minus wheels).

    Raises:
        SandboxError: not a source checkout (Dockerfile.sandbox is missing).
    """
    if not DOCKERFILE.is_file():
        raise SandboxError(f"{DOCKERFILE} not found: the sandbox image is built from a source checkout",
                           runner="docker")
    inputs = {"Dockerfile.sandbox": DOCKERFILE.read_bytes(),
              "sandbox/image-requirements.txt": REQUIREMENTS.read_bytes() + f"\n# installer {PIP_INSTALLER}\n".encode()}
    for path in sorted(HARNESS_DIR.glob("*.py")):
        inputs[f"sandbox/harness/{path.name}"] = path.read_bytes()
    # not copied into the image, but it decides the base: the interpreter build both runners share
    inputs["interpreter"] = "\n".join(f"{p}={v}" for p, v in debian_python_packages().items()).encode()
    return inputs


def content_hash() -> str:
    """16 hex digits of sha256 over the hashed inputs (path and length framed, so no two layouts collide)."""
    digest = hashlib.sha256()
    for name, data in sorted(hashed_inputs().items()):
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


def image_tag() -> str:
    """The tag the runner uses: AUTOCODERL_SANDBOX_IMAGE when set, else autocoderl-sandbox:<content hash>."""
    return os.environ.get("AUTOCODERL_SANDBOX_IMAGE") or f"{IMAGE_REPO}:{content_hash()}"


def docker_client(timeout: int = 60) -> Any:
    """A Docker SDK client negotiating the engine's API version (never pinned above what it offers).

    Raises:
        SandboxError: the SDK is missing or the engine does not answer.
    """
    try:
        import docker
    except ImportError as exc:
        raise SandboxError("the docker Python SDK is not installed", runner="docker") from exc
    try:
        client = docker.from_env(version="auto", timeout=timeout)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - every failure here means "no engine"
        raise SandboxError(f"the Docker engine does not answer: {exc}", runner="docker") from exc
    return client


def image_exists(client: Any, tag: str) -> bool:
    import docker.errors

    try:
        client.api.inspect_image(tag)
    except docker.errors.ImageNotFound:
        return False
    return True


def ensure_image(*, client: Any = None, build: bool = True, base: str | None = None, offline: bool = False,
                 force: bool = False, echo: Callable[[str], None] | None = None) -> str:
    """Return the sandbox image tag, building the image first when no image carries the current hash.

    Args:
        client: a Docker SDK client (default: `docker_client()`).
        build: build a missing image; when False a missing image raises.
        base: the base image; default AUTOCODERL_SANDBOX_BASE, else python:3.11-slim if present or
            pullable, else a local debootstrap base.
        offline: never try a registry (go straight to the debootstrap base).
        force: rebuild even when the tag exists.
        echo: progress sink (default: the module logger).

    Raises:
        SandboxError: no engine, or the image is missing and `build` is False, or the build failed.
    """
    client = client or docker_client()
    tag = image_tag()
    if not force and image_exists(client, tag):
        return tag
    if not build:
        raise SandboxError(f"sandbox image {tag} is missing; build it with `python -m sandbox.image ensure` "
                           "or scripts/build_sandbox_image.sh", runner="docker")
    if os.environ.get("AUTOCODERL_SANDBOX_IMAGE"):
        raise SandboxError(f"AUTOCODERL_SANDBOX_IMAGE={tag} does not exist and is not ours to build", runner="docker")
    build_image(client, tag, base=base, offline=offline, echo=echo or log.info)
    return tag


def build_image(client: Any, tag: str, *, base: str | None, offline: bool, echo: Callable[[str], None]) -> None:
    """Download wheels, pick or make the base, stage a minimal context and build `tag` plus :latest."""
    wheels = download_base_wheels(image_target(client), echo)
    base = base or os.environ.get("AUTOCODERL_SANDBOX_BASE") or pick_base(client, offline=offline, echo=echo)
    with tempfile.TemporaryDirectory(prefix="autocoderl-ctx-") as ctx:
        for name, data in hashed_inputs().items():
            target = Path(ctx, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        shutil.copytree(wheels, Path(ctx, "wheels"), ignore=shutil.ignore_patterns(".complete"))
        echo(f"building {tag} on {base}")
        labels = {HASH_LABEL: tag.rsplit(":", 1)[-1], "autocoderl.sandbox.base": base}
        if base.startswith(f"{BASE_REPO}:{DEBIAN_SUITE}-py"):  # the host's exact python3.11 packages
            labels[PYTHON_LABEL] = sandbox_interpreter().version
        stream = client.api.build(path=ctx, dockerfile="Dockerfile.sandbox", tag=tag, buildargs={"BASE_IMAGE": base},
                                  labels=labels, rm=True, forcerm=True, pull=False, network_mode="none", decode=True)
        for chunk in stream:
            if "error" in chunk:
                raise SandboxError(f"building {tag} failed: {chunk['error'].strip()}", runner="docker")
            if line := (chunk.get("stream") or "").rstrip():
                echo(line)
    if not image_exists(client, tag):
        raise SandboxError(f"building {tag} produced no image", runner="docker")
    repository = tag.rpartition(":")[0]
    client.api.tag(tag, repository, "latest")
    echo(f"built {tag} (also {repository}:latest)")


def image_target(client: Any) -> Target:
    """The platform images run on: the engine's architecture, the image's Python."""
    arch = (client.version().get("Arch") or platform.machine()).lower()
    return Target("3.11", {"amd64": "x86_64", "arm64": "aarch64"}.get(arch, arch))


def debian_python_packages() -> dict[str, str]:
    """The host's installed versions of Debian's python3.11 packages (sandbox/interpreter.py), {} when it has none
    (then the local runner falls back to the server's interpreter and the image to python:3.11-slim)."""
    if not sandbox_interpreter().shared or shutil.which("dpkg-query") is None:
        return {}
    result = subprocess.run(["dpkg-query", "-W", "-f", "${Package}=${Version}\\n", *DEBIAN_PACKAGES],
                            capture_output=True, text=True)
    found = dict(line.split("=", 1) for line in result.stdout.splitlines() if "=" in line)
    return found if set(found) == set(DEBIAN_PACKAGES) else {}


def pick_base(client: Any, *, offline: bool, echo: Callable[[str], None]) -> str:
    """A Debian base holding the host's exact python3.11 packages when the host has them (one interpreter build
    for both runners); else python:3.11-slim when present or pullable; else a plain debootstrap base."""
    import docker.errors

    packages = debian_python_packages()
    if packages:
        base = f"{BASE_REPO}:{DEBIAN_SUITE}-py{packages['python3.11'].replace('+', '_').replace('~', '_')}"
        try:
            if not image_exists(client, base):
                build_debootstrap_base(client, base, echo, packages)
            return base
        except SandboxError as exc:
            echo(f"cannot give the image the host's python3.11 build ({exc}); the runners' interpreters will differ")
    if image_exists(client, DEFAULT_BASE):
        return DEFAULT_BASE
    if not offline:
        try:
            client.api.pull(DEFAULT_BASE)
            return DEFAULT_BASE
        except docker.errors.APIError as exc:
            echo(f"cannot pull {DEFAULT_BASE} ({str(exc).splitlines()[0][:160]}); using a local debootstrap base")
    base = f"{BASE_REPO}:{DEBIAN_SUITE}"
    if not image_exists(client, base):
        build_debootstrap_base(client, base, echo)
    return base


def debian_mirror() -> str:
    """The Debian mirror apt already uses here (AUTOCODERL_DEBIAN_MIRROR overrides)."""
    if mirror := os.environ.get("AUTOCODERL_DEBIAN_MIRROR"):
        return mirror
    sources = Path("/etc/apt/sources.list.d/debian.sources")
    if sources.is_file():
        for stanza in sources.read_text().split("\n\n"):
            fields = dict(line.split(":", 1) for line in stanza.splitlines()
                          if ":" in line and not line.startswith("#"))
            suites = fields.get("Suites", "").split()
            if any("-" not in suite for suite in suites) and fields.get("URIs"):  # not -security/-updates
                return fields["URIs"].split()[0]
    legacy = Path("/etc/apt/sources.list")
    if legacy.is_file():
        for line in legacy.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] == "deb" and "security" not in parts[1]:
                return parts[1]
    raise SandboxError("no Debian mirror found in apt's sources; set AUTOCODERL_DEBIAN_MIRROR", runner="docker")


def build_debootstrap_base(client: Any, tag: str, echo: Callable[[str], None],
                           packages: dict[str, str] | None = None) -> None:
    """debootstrap a minimal Debian with python3 + python3-venv and `docker import` it as `tag` (needs root).
    `packages` (name -> version): install exactly these .debs on top (the host's python3.11 build)."""
    if shutil.which("debootstrap") is None:
        raise SandboxError("no registry answers and debootstrap is missing (apt-get install debootstrap)",
                           runner="docker")
    mirror = debian_mirror()
    rootfs = Path(tempfile.mkdtemp(prefix="autocoderl-rootfs-", dir="/var/tmp"))
    try:
        echo(f"debootstrap {DEBIAN_SUITE} from {mirror} into {rootfs} (about a minute)")
        result = subprocess.run(["debootstrap", "--variant=minbase", "--include=python3,python3-venv", DEBIAN_SUITE,
                                 str(rootfs), mirror], capture_output=True, text=True)
        if result.returncode != 0:
            raise SandboxError(f"debootstrap failed: {(result.stdout + result.stderr).strip()[-2000:]}",
                               runner="docker")
        if packages:
            _install_exact(rootfs, packages, echo)
        for leftover in ("var/cache/apt/archives", "var/lib/apt/lists"):
            for path in (rootfs / leftover).glob("*"):
                if path.is_file():
                    path.unlink()
        echo(f"importing {tag}")
        tar = subprocess.Popen(["tar", "-C", str(rootfs), "--numeric-owner", "-c", "."], stdout=subprocess.PIPE)
        try:
            client.api.import_image(src=tar.stdout, repository=tag.rpartition(":")[0], tag=tag.rpartition(":")[2],
                                    stream_src=True, changes=["ENV LANG=C.UTF-8", 'CMD ["/bin/bash"]'])
        finally:
            tar.stdout.close()
            if tar.wait() != 0:
                raise SandboxError("tar of the debootstrap root file system failed", runner="docker")
    finally:
        _unmount_below(rootfs)
        shutil.rmtree(rootfs, ignore_errors=True)


def _install_exact(rootfs: Path, packages: dict[str, str], echo: Callable[[str], None]) -> None:
    """Download `packages` at their exact versions (the host's apt) and dpkg-install them into `rootfs`."""
    debs = rootfs / "var" / "tmp" / "autocoderl-debs"
    debs.mkdir(parents=True, exist_ok=True)
    echo(f"installing {', '.join(f'{p}={v}' for p, v in packages.items())} into the base")

    def run(cmd: list[str]) -> None:
        result = subprocess.run(cmd, cwd=debs, capture_output=True, text=True)
        if result.returncode != 0:
            raise SandboxError(f"{' '.join(cmd[:3])} failed: {(result.stdout + result.stderr).strip()[-1500:]}",
                               runner="docker")

    run(["apt-get", "download", *(f"{p}={v}" for p, v in packages.items())])
    run(["chroot", str(rootfs), "dpkg", "-i", *(f"/var/tmp/{debs.name}/{f.name}" for f in sorted(debs.glob("*.deb")))])
    shutil.rmtree(debs, ignore_errors=True)


def _unmount_below(root: Path) -> None:
    """A failed debootstrap can leave proc/sys mounted inside the rootfs; never rmtree through them."""
    mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
    for mount in sorted((m for m in mounts if m.startswith(f"{root}/")), key=len, reverse=True):
        subprocess.run(["umount", "-l", mount], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.image", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["hash", "tag", "ensure", "build"],
                        help="hash/tag: print them; ensure: build only when missing; build: always rebuild")
    parser.add_argument("--base", help="base image (default: python:3.11-slim, else a local debootstrap base)")
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
