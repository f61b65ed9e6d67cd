"""Derived virtual environments for the local runner: one cached venv per task requirement set.

A venv holds only what the server's own environment (the local base) lacks, installed from
host-downloaded wheels with --no-index --no-deps by pip run from its wheel. A `.pth` file added
*after* the install appends the server's site-packages, so the tools and base libraries stay
visible while the task's versions take precedence (and pip never touches the server's packages).
The venv lives under .cache/sandbox-envs/<key> (AUTOCODERL_ENV_DIR overrides) and the jail binds
it read-only; it is marked complete only when fully built, so a crash mid-build is rebuilt.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from collections.abc import Callable, Mapping
from pathlib import Path

from sandbox.environments import EnvironmentInfo
from sandbox.requirements import REPO_ROOT, RequirementsError, RequirementSet, Target, resolve

COMPLETE = ".autocoderl-complete"
INFO = "autocoderl-env.json"


def env_root() -> Path:
    return Path(os.environ.get("AUTOCODERL_ENV_DIR") or REPO_ROOT / ".cache" / "sandbox-envs")


def host_label() -> str:
    return f"host-python-{sys.version.split()[0]}"


def host_site_dirs() -> list[str]:
    """The server's site-packages directories (where the tools and base libraries live)."""
    dirs = [*site.getsitepackages(), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    return [d for i, d in enumerate(dirs) if d not in dirs[:i] and os.path.isdir(d)]


def venv_python(root: Path) -> Path:
    return root / "bin" / "python"


def find_venv(reqs: RequirementSet, key: str) -> EnvironmentInfo | None:
    root = env_root() / key
    if not (root / COMPLETE).is_file():
        return None
    data = json.loads((root / INFO).read_text())
    return EnvironmentInfo("venv", key, host_label(), reqs.requirements, data["packages"], path=str(root))


def build_venv(reqs: RequirementSet, key: str, base: Mapping[str, str], target: Target,
               echo: Callable[[str], None]) -> EnvironmentInfo:
    """Resolve `reqs` against the server's environment and build (or reuse) its venv.

    Raises:
        RequirementsError: unresolvable set or a failed install.
    """
    resolution = resolve(reqs, base, target, echo)
    root = env_root() / key
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one builder per venv, across processes
        if (found := find_venv(reqs, key)) is not None:
            return found
        shutil.rmtree(root, ignore_errors=True)
        echo(f"building venv {key} for {', '.join(reqs.requirements)}")
        try:
            _make(root, resolution.wheels, resolution.lock_text())
        except (OSError, subprocess.CalledProcessError) as exc:
            shutil.rmtree(root, ignore_errors=True)
            detail = getattr(exc, "stderr", "") or str(exc)
            raise RequirementsError(f"installing {', '.join(reqs.requirements)} into a venv failed: "
                                    f"{detail.strip()[-800:]}", requirements=reqs.requirements,
                                    runner="local") from exc
        (root / INFO).write_text(json.dumps({"requirements": list(reqs.requirements),
                                             "packages": resolution.packages}, indent=1))
        (root / COMPLETE).touch()
    return EnvironmentInfo("venv", key, host_label(), reqs.requirements, resolution.packages, path=str(root))


def _make(root: Path, wheels: Path, lock_text: str) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, capture_output=True,
                   text=True)
    python = venv_python(root)
    if lock_text:
        (root / "lock.txt").write_text(lock_text)
        pip_wheel = next(wheels.glob("pip-*.whl"))
        subprocess.run([str(python), f"{pip_wheel}/pip", "install", "--no-index", "--no-deps", "--find-links",
                        str(wheels), "--no-cache-dir", "--disable-pip-version-check", "--require-virtualenv",
                        "-r", str(root / "lock.txt")], check=True, capture_output=True, text=True,
                       stdin=subprocess.DEVNULL)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "_autocoderl_base.pth").write_text("".join(f"{d}\n" for d in host_site_dirs()))
    ruff = Path(sys.executable).parent / "ruff"
    if ruff.exists():
        (root / "bin" / "ruff").symlink_to(ruff)
