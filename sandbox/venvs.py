"""Virtual environments for the local runner: the base venv (the sandbox image's pinned base set) and
one cached venv per task requirement set on top of it.

The base venv holds exactly the pins of sandbox/image-requirements.txt, so code under test sees the
same tools and libraries as in the Docker image and none of the server's own packages. A derived
venv holds only what the base lacks, installed from host-downloaded wheels with --no-index
--no-deps by pip run from its wheel; a `.pth` file added *after* the install appends the base
venv's site-packages, so the task's versions take precedence. Venvs live under
~/.cache/autocoderl/sandbox-envs/ (AUTOCODERL_ENV_DIR overrides), are marked complete only when fully built
(a crash mid-build is rebuilt), are built under a file lock (one builder across processes), and the
jail binds them read-only.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

from sandbox.environments import EnvironmentInfo
from sandbox.interpreter import sandbox_interpreter
from sandbox.requirements import (
    BASE_REQUIREMENTS,
    RequirementsError,
    RequirementSet,
    Target,
    base_set_id,
    download_base_wheels,
    resolve,
)
from sandbox.types import SandboxError

COMPLETE = ".autocoderl-complete"
INFO = "autocoderl-env.json"
OWNER_UID = 65534
"""A root server hands its venvs to nobody: a Landlock-tier child (root without capabilities) is then not
their owner and cannot chmod or otherwise change what Landlock does not cover."""


def env_root() -> Path:
    """AUTOCODERL_ENV_DIR, else $XDG_CACHE_HOME/autocoderl/sandbox-envs (outside the source tree: venvs hold
    symlinks, which source digests such as `openenv validate`'s refuse)."""
    if configured := os.environ.get("AUTOCODERL_ENV_DIR"):
        return Path(configured)
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "autocoderl" / "sandbox-envs"


def host_label() -> str:
    return f"host-python-{sys.version.split()[0]}"


def venv_python(root: Path) -> Path:
    return root / "bin" / "python"


def base_venv_id(target: Target) -> str:
    """The base set and the interpreter build it runs on (a new interpreter build gets a new base venv)."""
    build = hashlib.sha256(sandbox_interpreter().version.encode()).hexdigest()[:6]
    return f"base-{base_set_id(target)}-{build}"


def ensure_base_venv(target: Target, echo: Callable[[str], None]) -> EnvironmentInfo:
    """The base venv for `target`, built from the pinned base wheels when missing.

    Raises:
        SandboxError: the wheels cannot be downloaded or installed.
    """
    name = base_venv_id(target)
    root = env_root() / name
    info = EnvironmentInfo("venv", name, name, path=str(root))
    if (root / COMPLETE).is_file():  # no lock needed (and a read-only, pre-built cache has none to take)
        return info
    with _locked(root):
        if (root / COMPLETE).is_file():
            return info
        wheels = download_base_wheels(target, echo)
        echo(f"building the base venv {name}")
        _build(root, wheels, BASE_REQUIREMENTS.read_text(), no_deps=False, overlay=None)
        (root / INFO).write_text(json.dumps({"requirements": [], "packages": {}}))
        (root / COMPLETE).touch()
    return info


def find_venv(reqs: RequirementSet, key: str, base: EnvironmentInfo) -> EnvironmentInfo | None:
    root = env_root() / key
    if not (root / COMPLETE).is_file():
        return None
    data = json.loads((root / INFO).read_text())
    return EnvironmentInfo("venv", key, base.id, reqs.requirements, data["packages"], path=str(root))


def build_venv(reqs: RequirementSet, key: str, base: EnvironmentInfo, pins: Mapping[str, str], target: Target,
               echo: Callable[[str], None]) -> EnvironmentInfo:
    """Resolve `reqs` against the base pins and build (or reuse) its venv on top of the base venv.

    Raises:
        RequirementsError: unresolvable set or a failed install.
    """
    if (found := find_venv(reqs, key, base)) is not None:
        return found
    resolution = resolve(reqs, pins, target, echo)
    root = env_root() / key
    with _locked(root):
        if (found := find_venv(reqs, key, base)) is not None:
            return found
        echo(f"building venv {key} for {', '.join(reqs.requirements)}")
        try:
            _build(root, resolution.wheels, resolution.lock_text(), no_deps=True, overlay=Path(base.path or ""))
        except SandboxError as exc:
            raise RequirementsError(f"installing {', '.join(reqs.requirements)} into a venv failed: {exc}",
                                    requirements=reqs.requirements, runner="local") from exc
        (root / INFO).write_text(json.dumps({"requirements": list(reqs.requirements), "base": base.id,
                                             "packages": resolution.packages}, indent=1))
        (root / COMPLETE).touch()
    return EnvironmentInfo("venv", key, base.id, reqs.requirements, resolution.packages, path=str(root))


class _locked:
    """An exclusive lock file beside `root` (held across processes while one of them builds it)."""

    def __init__(self, root: Path) -> None:
        root.parent.mkdir(parents=True, exist_ok=True)
        self.path = root.parent / f"{root.name}.lock"

    def __enter__(self) -> None:
        self.handle = open(self.path, "w")  # noqa: SIM115 - closed in __exit__
        fcntl.flock(self.handle, fcntl.LOCK_EX)

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def _build(root: Path, wheels: Path, requirements: str, *, no_deps: bool, overlay: Path | None) -> None:
    """venv at `root` with `requirements` installed from `wheels` only; `overlay`: a base venv to append."""
    shutil.rmtree(root, ignore_errors=True)
    try:
        _run([sandbox_interpreter().path, "-I", "-m", "venv", "--without-pip", str(root)])
        python = venv_python(root)
        if requirements.strip():
            (root / "requirements.txt").write_text(requirements)
            pip_wheel = next(wheels.glob("pip-*.whl"))
            _run([str(python), f"{pip_wheel}/pip", "install", "--no-index", "--find-links", str(wheels),
                  "--no-cache-dir", "--disable-pip-version-check", "--require-virtualenv",
                  *(["--no-deps"] if no_deps else []), "-r", str(root / "requirements.txt")])
        if overlay is not None:
            purelib = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
            base_lib = _run([str(venv_python(overlay)), "-c",
                             "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
            # relative: the venvs keep their layout wherever they are mounted (the jail shows them under /envs)
            relative = os.path.relpath(base_lib.strip(), purelib.strip())
            Path(purelib.strip(), "_autocoderl_base.pth").write_text(relative + "\n")
            if (overlay / "bin" / "ruff").exists():
                (root / "bin" / "ruff").symlink_to(overlay / "bin" / "ruff")
        if os.geteuid() == 0:
            for path in [root, *root.rglob("*")]:
                os.lchown(path, OWNER_UID, OWNER_UID)
    except (OSError, StopIteration, SandboxError) as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise SandboxError(f"building the venv {root.name} failed: {exc}", runner="local") from exc


def _run(cmd: list[str]) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SandboxError(f"{Path(cmd[0]).name} exited {result.returncode}: "
                           f"{(result.stderr or result.stdout).strip()[-800:]}", runner="local")
    return result.stdout
