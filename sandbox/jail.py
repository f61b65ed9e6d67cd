"""Bubblewrap jail for the local runner: private namespaces and a minimal read-only view of the host.

Nothing of the host is writable inside: the root, /dev and every bind are read-only; the only
writable places are a size-capped tmpfs at /work (with /tmp pointing into it) and a small /dev/shm.
Both die with the mount namespace, so a disk fill ends in ENOSPC inside and leaves nothing behind.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

HARNESS_DIR = Path(__file__).resolve().parent / "harness"
SHM_BYTES = 4 << 20


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
                  read_only: list[tuple[str, str]] | None = None, bin_dir: str | None = None) -> list[str]:
    """Wrap `argv` in bwrap: no network, own user/pid/ipc/uts/mount namespaces, only /usr and Python visible.

    `read_only` adds (host directory, path inside) binds, read-only (venvs); `bin_dir` goes first on PATH.
    """
    cmd = ["bwrap", "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
           "--clearenv", "--uid", "65534", "--gid", "65534", "--hostname", "sandbox",
           "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
           "--size", str(SHM_BYTES), "--tmpfs", "/dev/shm", "--remount-ro", "/dev",
           "--size", str(disk_bytes), "--tmpfs", "/work", "--symlink", "/work/tmp", "/tmp", "--dir", "/etc"]
    for link in ("lib", "lib64", "bin", "sbin"):
        target = Path("/") / link
        if target.is_symlink():
            cmd += ["--symlink", str(target.readlink()), f"/{link}"]
        elif target.is_dir():
            cmd += ["--ro-bind", str(target), f"/{link}"]
    for root in _python_roots():
        if not root.startswith("/usr/"):
            cmd += ["--ro-bind", root, root]
    for source, inside in read_only or []:
        cmd += ["--ro-bind", source, inside]
    path = ":".join(dict.fromkeys([bin_dir or str(Path(sys.executable).parent), str(Path(sys.executable).parent)]))
    cmd += ["--ro-bind", str(HARNESS_DIR), "/harness", "--remount-ro", "/", "--chdir", "/work",
            "--setenv", "PATH", f"{path}:/usr/bin:/bin", "--setenv", "HOME", "/work"]
    return cmd + argv


@functools.cache
def bwrap_works() -> bool:
    """True when bubblewrap can create its namespaces here (not inside most containers or Spaces)."""
    if shutil.which("bwrap") is None:
        return False
    try:
        probe = subprocess.run(bwrap_command([sys.executable, "-c", "pass"]), capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0
