"""Bubblewrap jail for the local runner: private namespaces and a minimal read-only view of the host.

Nothing of the host is writable inside: the root, /dev and every bind are read-only; the only
writable places are size-capped tmpfs mounts at /work and /tmp (as in the Docker sandbox) and a small
/dev/shm. They die with the mount namespace, so a disk fill ends in ENOSPC inside and leaves nothing
behind. Host paths are bound after those mounts, so an interpreter, venv or checkout that lives under
/tmp or /work on the host is still visible at its own path.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from sandbox.interpreter import START_ENV, sandbox_interpreter

HARNESS_DIR = Path(__file__).resolve().parent / "harness"
SHM_BYTES = 4 << 20
TMP_BYTES = 16 << 20


def _python_roots() -> list[str]:
    """Directories the interpreter and its site-packages need (deduplicated, outermost first)."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(sys.executable).resolve().parent.parent)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        candidates.add(sysconfig.get_paths()[key])
    roots: list[str] = []
    for path in sorted(candidates, key=len):
        if Path(path).exists() and not any(path.startswith(r.rstrip("/") + "/") or path == r for r in roots):
            roots.append(path)
    return roots


def bwrap_command(argv: list[str], *, disk_bytes: int = 64 << 20,
                  read_only: list[tuple[str, str]] | None = None, bin_dir: str | None = None,
                  server_python: bool = False, writable: list[tuple[str, str]] | None = None) -> list[str]:
    """Wrap `argv` in bwrap: no network, own user/pid/ipc/uts/mount namespaces, only /usr and Python visible.

    `read_only` adds (host directory, path inside) binds, read-only (venvs); `writable` the same, read-write
    (the per-evaluation cgroup parents of the warm harness, which its children enter); `bin_dir` goes first on PATH;
    `server_python` binds the server's own interpreter (only for the fallback without a base venv).
    """
    cmd = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
           "--clearenv", "--uid", "65534", "--gid", "65534", "--hostname", "sandbox",
           "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
           "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
           "--size", str(disk_bytes), "--tmpfs", "/work", "--size", str(TMP_BYTES), "--tmpfs", "/tmp",
           "--dir", "/etc"]
    for link in ("lib", "lib64", "bin", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            cmd += ["--symlink", str(target.readlink()), f"/{link}"]
        elif target.is_dir():
            cmd += ["--ro-bind", str(target), f"/{link}"]
    for root in _python_roots() if server_python else []:
        if not root.startswith("/usr/"):
            cmd += ["--ro-bind", root, root]
    for source, inside in read_only or []:
        cmd += ["--ro-bind", source, inside]
    for source, inside in writable or []:
        cmd += ["--bind", source, inside]
    path = bin_dir or str(Path(sys.executable).parent)
    cmd += ["--ro-bind", str(HARNESS_DIR), "/harness", "--remount-ro", "/", "--chdir", "/work",
            "--setenv", "PATH", f"{path}:/usr/bin:/bin", "--setenv", "HOME", "/work"]
    for name, value in START_ENV.items():  # --clearenv dropped the launcher's
        cmd += ["--setenv", name, value]
    return cmd + argv


@functools.cache
def bwrap_status() -> tuple[bool, str]:
    """(works, why not): whether bubblewrap can run the sandbox interpreter here (not inside most containers or
    Spaces, where user namespaces are off)."""
    if shutil.which("bwrap") is None:
        return False, "bubblewrap is not installed (apt-get install bubblewrap)"
    python = sandbox_interpreter().path
    try:
        probe = subprocess.run(bwrap_command([python, "-c", "pass"], bin_dir=os.path.dirname(python)),
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"bubblewrap did not start: {exc}"
    if probe.returncode != 0:
        return False, f"bubblewrap failed: {(probe.stderr or probe.stdout).strip()[-300:]}"
    return True, ""


def bwrap_works() -> bool:
    """True when bubblewrap can create its namespaces here."""
    return bwrap_status()[0]
