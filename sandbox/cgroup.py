"""Optional aggregate limits for the local runner: a throwaway cgroup (v1 or v2) per evaluation.

Only used where the server may write to /sys/fs/cgroup (root outside a container). It caps the
number of processes (fork bombs) and the total memory of the whole process tree, and lets the
runner kill every process of the evaluation, even ones that escaped with setsid().
"""

from __future__ import annotations

import os
import signal
import time
import uuid
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")


class CgroupLimiter:
    """One cgroup per evaluation under the `autocoderl` parent; `None` from `create` when unavailable."""

    def __init__(self, dirs: dict[str, Path]) -> None:
        self.dirs = dirs

    @classmethod
    def parents(cls) -> list[Path]:
        """The `autocoderl` parent cgroup directories per-evaluation cgroups are made under (those that exist)."""
        candidates = [ROOT / "autocoderl"] if (ROOT / "cgroup.controllers").exists() else \
            [ROOT / ctl / "autocoderl" for ctl in ("pids", "memory")]
        return [path for path in candidates if path.is_dir()]

    @classmethod
    def available(cls) -> bool:
        probe = cls.create(pids=8, memory_bytes=1 << 26)
        if probe is None:
            return False
        probe.destroy()
        return True

    @classmethod
    def create(cls, pids: int, memory_bytes: int) -> CgroupLimiter | None:
        name = f"autocoderl/{uuid.uuid4().hex[:12]}"
        dirs: dict[str, Path] = {}
        try:
            if (ROOT / "cgroup.controllers").exists():  # v2, unified
                path = ROOT / name
                path.mkdir(parents=True)
                dirs["unified"] = path
                (path / "pids.max").write_text(str(pids))
                (path / "memory.max").write_text(str(memory_bytes))
                (path / "memory.swap.max").write_text("0")
            else:
                for ctl in ("pids", "memory"):
                    path = ROOT / ctl / name
                    path.mkdir(parents=True)
                    dirs[ctl] = path
                dirs["pids"].joinpath("pids.max").write_text(str(pids))
                dirs["memory"].joinpath("memory.limit_in_bytes").write_text(str(memory_bytes))
        except OSError:
            limiter = cls(dirs)
            limiter.destroy()
            return None
        return cls(dirs)

    def enter(self) -> None:
        """Move the calling process (a freshly forked child, before exec) into the cgroup."""
        pid = str(os.getpid())
        for path in self.dirs.values():
            (path / "cgroup.procs").write_text(pid)

    def pids(self) -> set[int]:
        found: set[int] = set()
        for path in self.dirs.values():
            try:
                found |= {int(p) for p in (path / "cgroup.procs").read_text().split()}
            except OSError:
                pass
        return found

    def oom_killed(self) -> bool:
        try:
            if "unified" in self.dirs:
                events = (self.dirs["unified"] / "memory.events").read_text()
                return any(line.split()[0] == "oom_kill" and int(line.split()[1]) > 0
                           for line in events.splitlines())
            control = (self.dirs["memory"] / "memory.oom_control").read_text()
            return any(line.startswith("oom_kill ") and int(line.split()[1]) > 0 for line in control.splitlines())
        except (OSError, KeyError, ValueError, IndexError):
            return False

    def kill_all(self) -> None:
        if "unified" in self.dirs and (self.dirs["unified"] / "cgroup.kill").exists():
            try:
                (self.dirs["unified"] / "cgroup.kill").write_text("1")
            except OSError:
                pass
        for _ in range(50):
            pids = self.pids()
            if not pids:
                return
            if "pids" in self.dirs:  # freeze forks by capping at the current count while killing
                try:
                    (self.dirs["pids"] / "pids.max").write_text("0")
                except OSError:
                    pass
            for pid in pids:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def destroy(self) -> None:
        self.kill_all()
        for path in self.dirs.values():
            for _ in range(100):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    self.kill_all()
                    time.sleep(0.01)
