"""LocalRunner: the Docker-less fallback (HF Spaces, laptops). Hardened processes, same result type.

Evaluations run in a warm harness (sandbox/warm.py, `driver.py --serve`): one long-lived process per
environment that has imported pytest, coverage and bandit and never runs candidate code, started under
`python -P -s -B` with a scrubbed environment, inside
- a bubblewrap jail (no network; own user, pid and mount namespaces; read-only host view; a size-capped
  tmpfs at /work), when the host allows one; else directly on the host.
For each evaluation it forks a child that, before anything of the repo exists, enters a throwaway
cgroup (pids + memory, when writable), rlimits, its own session and signal scope, Landlock with its own
fresh work dir as the only writable path (no TCP), a seccomp filter (no network sockets at all) and,
for a root server, no capabilities; the harness caps the work dir's size and entry count. The host owns
the deadline: the evaluation is killed at it (through the harness and its cgroup).
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import secrets
import shutil
import signal
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sandbox.cgroup import CgroupLimiter
from sandbox.environments import EnvironmentInfo, EnvironmentStore
from sandbox.harness.hardening import (
    landlock_restrict,
    make_non_dumpable,
    nproc_limit,
)
from sandbox.interpreter import START_ENV, sandbox_interpreter
from sandbox.jail import HARNESS_DIR, bwrap_command, bwrap_status
from sandbox.outcome import classify, extract_report
from sandbox.requirements import RequirementsError, RequirementSet, Target, host_base, image_base
from sandbox.tarball import build_tar
from sandbox.types import Isolation, Limits, RunRequest, RunResult, RunStatus, SandboxError
from sandbox.venvs import build_venv, ensure_base_venv, find_venv, host_label, venv_python
from sandbox.warm import CONFINE_FAILED, WarmHarness

log = logging.getLogger("autocoderl.sandbox.local")

MAX_WORK_ENTRIES = 20_000
"""Files + directories the Landlock tier's work dir may hold (an inode flood counts as a full disk)."""
PYTHON_FLAGS = ["-P", "-s", "-B"]
JAIL_ENVS = "/envs"
WORK_MB = 256
"""The warm harness jail's /work tmpfs, shared by concurrent evaluations (each is capped by its own quota)."""


class LocalRunner:
    """Runs the harness in a hardened local subprocess; reports which isolation it really had."""

    name = "local"
    image = None

    def __init__(self, *, use_bwrap: bool | None = None, use_cgroup: bool | None = None) -> None:
        make_non_dumpable()
        works, why = bwrap_status()
        self.use_bwrap = works if use_bwrap is None else use_bwrap
        self.use_cgroup = CgroupLimiter.available() if use_cgroup is None else use_cgroup
        self.isolation = Isolation.BWRAP if self.use_bwrap else (
            Isolation.LANDLOCK if landlock_restrict(probe=True) else Isolation.RLIMITS)
        self.isolation_note = "" if self.use_bwrap else (why if use_bwrap is None else "bubblewrap turned off")
        """Why the runner is not on its strongest tier (shown in /health and every execution report)."""
        if self.isolation_note:
            log.warning("local runner: isolation %s (%s)", self.isolation.value, self.isolation_note)
        self.interpreter = sandbox_interpreter()
        self.environments = self._environments(Target.host())
        self._harnesses: dict[str, WarmHarness] = {}
        self._spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-harness-spawner")
        self._harness_lock = threading.Lock()
        self._work_roots: list[str] = []

    def _environments(self, target: Target) -> EnvironmentStore:
        """The base venv (the image's pinned base set; built once, ~20 s) and derived venvs on top of it.
        Without it (no index reachable, nothing cached) code runs with the server's own packages and task
        requirements cannot be provided."""
        try:
            base_info, pins = ensure_base_venv(target, log.info), image_base()
        except (SandboxError, OSError) as exc:  # OSError: e.g. AUTOCODERL_ENV_DIR not writable
            log.warning("local runner: no base venv (%s); running with the server's packages", exc)
            base_info, pins = EnvironmentInfo("host", host_label(), host_label()), host_base()

        def build(reqs: RequirementSet, key: str, echo) -> EnvironmentInfo:  # noqa: ANN001
            if base_info.path is None:
                raise RequirementsError("task requirements need the local base venv, which could not be built",
                                        requirements=reqs.requirements, runner=self.name)
            return build_venv(reqs, key, base_info, pins, target, echo)

        return EnvironmentStore(base_info=base_info, base=pins, target=target,
                                find=lambda reqs, key: find_venv(reqs, key, base_info), build=build,
                                runner=self.name)

    def describe(self) -> dict:
        return {"runner": self.name, "isolation": self.isolation.value, "isolation_note": self.isolation_note,
                "cgroup": self.use_cgroup, "python": self.interpreter.version, "python_shared": self.interpreter.shared,
                "base": self.environments.base_info.to_dict(), "environments": self.environments.describe()}

    def python(self) -> str:
        """The `sys.version` of the interpreter code under test runs on."""
        return self.interpreter.version if self.environments.base_info.path else sys.version

    def run(self, request: RunRequest) -> RunResult:
        """Raises ValueError (before anything starts) for a tree that is not plain files at safe paths,
        RequirementsError for requirements that cannot be provided (a missing venv is built first)."""
        started = time.monotonic()
        env = self.environments.get(RequirementSet.of(request.requirements))
        limits = request.limits
        nonce = secrets.token_hex(16)
        config = request.harness_config(nonce, limits.wall_s - 1.0)
        payload = json.dumps(config).encode() + b"\n" + build_tar(request.files)
        harness = self._harness(env)
        cgroup = CgroupLimiter.create(limits.pids, limits.memory_mb << 20) if self.use_cgroup else None
        try:
            outcome = harness.run(self._job(harness, limits, cgroup), payload, deadline=started + limits.wall_s,
                                  output_cap=limits.output_bytes,
                                  on_timeout=cgroup.kill_all if cgroup is not None else None)
            oom = cgroup.oom_killed() if cgroup is not None else False
        finally:
            if cgroup is not None:
                cgroup.kill_all()
                cgroup.destroy()
        text = outcome.output.decode("utf-8", "replace")
        report = extract_report(text, nonce)
        if outcome.exit_code == CONFINE_FAILED:
            raise SandboxError(f"the evaluation could not be confined: {text[-500:]}", runner=self.name)
        status, reason = classify(report, host_timeout=outcome.timed_out,
                                  host_overflow=outcome.total_bytes > limits.output_bytes + 65536, oom=oom,
                                  exit_code=outcome.exit_code)
        if outcome.disk_over and not outcome.timed_out:
            status, reason = RunStatus.DISK_FULL, (f"the work directory exceeded {limits.disk_mb} MiB or "
                                                   f"{MAX_WORK_ENTRIES} entries and the evaluation was killed")
        tail = text if report is None else text.split(f"AUTOCODERL-REPORT {nonce}")[0]
        return RunResult(status=status, runner=self.name, isolation=self.isolation,
                         duration_s=time.monotonic() - started, report=report, exit_code=outcome.exit_code,
                         reason=reason, output_tail=tail[-2000:], environment=env.to_dict(),
                         isolation_note=self.isolation_note)

    # ---- the warm harness, one per environment ------------------------------------------------------------

    def _harness(self, environment: EnvironmentInfo) -> WarmHarness:
        """The warm harness of `environment` (started on first use, restarted when it died)."""
        with self._harness_lock:
            harness = self._harnesses.get(environment.id)
            if harness is None or not harness.alive():
                if harness is not None:
                    harness.close()
                # started from one long-lived thread: a process dies with the *thread* that started it
                # (--die-with-parent, PDEATHSIG), and the threads asking for evaluations come and go
                harness = self._spawner.submit(self._start_harness, environment).result()
                self._harnesses[environment.id] = harness
            return harness

    def _start_harness(self, environment: EnvironmentInfo) -> WarmHarness:
        venvs = list(dict.fromkeys(p for p in (environment.path, self.environments.base_info.path) if p))
        python = str(venv_python(Path(environment.path))) if environment.path else sys.executable
        env = {"PATH": f"{os.path.dirname(python)}:/usr/local/bin:/usr/bin:/bin", **START_ENV}
        cgroups = [(str(d), str(d)) for d in CgroupLimiter.parents()] if self.use_cgroup else []
        if self.use_bwrap:  # venvs appear under /envs/<name> (their .pth files point to each other relatively)
            binds = [(path, f"{JAIL_ENVS}/{Path(path).name}") for path in venvs]
            if environment.path:
                python = str(venv_python(Path(JAIL_ENVS, Path(environment.path).name)))
            argv = bwrap_command([python, *PYTHON_FLAGS, "/harness/driver.py", "--serve"],
                                 disk_bytes=WORK_MB << 20, read_only=binds, writable=cgroups,
                                 bin_dir=os.path.dirname(python), server_python=environment.path is None)
            return WarmHarness(argv, env=env, preexec=_die_with_parent, readable=[JAIL_ENVS, "/harness"],
                               child_path=f"{os.path.dirname(python)}:/usr/bin:/bin")
        work_root = tempfile.mkdtemp(prefix="autocoderl-work-")
        self._work_roots.append(work_root)
        argv = [python, *PYTHON_FLAGS, str(HARNESS_DIR / "driver.py"), "--serve"]
        return WarmHarness(argv, env={**env, "AUTOCODERL_WORK_ROOT": work_root}, cwd=work_root,
                           preexec=_die_with_parent, readable=[sys.prefix, sys.base_prefix, str(HARNESS_DIR), *venvs],
                           child_path=env["PATH"])

    def _job(self, harness: WarmHarness, limits: Limits, cgroup: CgroupLimiter | None) -> dict:
        """What the evaluation child sets up before anything of the repo exists (driver._enter_jail)."""
        rlimits = {"RLIMIT_CPU": limits.cpu_s, "RLIMIT_FSIZE": limits.file_mb << 20, "RLIMIT_NOFILE": limits.nofile,
                   "RLIMIT_CORE": 0, "RLIMIT_AS": (limits.memory_mb + 256) << 20}
        if cgroup is None and (nproc := nproc_limit(limits.pids)) is not None:
            rlimits["RLIMIT_NPROC"] = nproc
        return {"cgroups": [str(d) for d in cgroup.dirs.values()] if cgroup is not None else [],
                "rlimits": rlimits, "readable": harness.readable, "confine": self.isolation is not Isolation.RLIMITS,
                "disk": {"bytes": limits.disk_mb << 20, "entries": MAX_WORK_ENTRIES},
                "env": {"PATH": harness.child_path, "LANG": "C.UTF-8"}}

    def standing_pids(self) -> set[int]:
        """Processes the runner keeps between evaluations (its warm harnesses): never an evaluation's leftovers."""
        with self._harness_lock:
            return set().union(*(h.standing_pids() for h in self._harnesses.values()))

    def standing_paths(self) -> list[str]:
        """Directories the runner keeps between evaluations (the Landlock tier's work roots; each evaluation's
        own work dir inside is removed when it ends)."""
        return list(self._work_roots)

    def close(self) -> None:
        """Stop the warm harnesses and background environment builds."""
        with self._harness_lock:
            for harness in self._harnesses.values():
                harness.close()
            self._harnesses.clear()
        self._spawner.shutdown(wait=False)
        for root in self._work_roots:
            shutil.rmtree(root, ignore_errors=True)
        self.environments.close()


def _die_with_parent() -> None:
    """In the harness process before exec: it dies with the server (PR_SET_PDEATHSIG)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL, 0, 0, 0)
