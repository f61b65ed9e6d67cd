"""LocalRunner: the Docker-less fallback (HF Spaces, laptops). Hardened subprocesses, same result type.

Per evaluation, the harness runs under `python -P -s` with a scrubbed environment, rlimits and its
own session, plus either
- a bubblewrap jail (no network; own user, pid and mount namespaces; read-only host view; the work
  dir is a size-capped tmpfs inside the jail), when the host allows one; or
- Landlock (a private temp dir is the only writable path; no TCP), a seccomp filter (no network
  sockets at all), and, for a root server, a child without any capabilities; a host-side watchdog
  caps the work dir's size and entry count.
A throwaway cgroup (pids + memory) is added when writable. The host owns the deadline: the whole
tree is killed at it and we wait for exit, not for pipes.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from sandbox.cgroup import CgroupLimiter
from sandbox.environments import EnvironmentInfo, EnvironmentStore
from sandbox.hardening import drop_capabilities, landlock_restrict, make_non_dumpable, nproc_limit
from sandbox.interpreter import sandbox_interpreter
from sandbox.jail import HARNESS_DIR, bwrap_command, bwrap_status
from sandbox.outcome import classify, extract_report
from sandbox.requirements import RequirementsError, RequirementSet, Target, host_base, image_base
from sandbox.seccomp import deny_network_sockets
from sandbox.tarball import build_tar
from sandbox.types import Isolation, Limits, RunRequest, RunResult, RunStatus, SandboxError
from sandbox.venvs import build_venv, ensure_base_venv, find_venv, host_label, venv_python

log = logging.getLogger("autocoderl.sandbox.local")

MAX_WORK_ENTRIES = 20_000
"""Files + directories the Landlock tier's work dir may hold (an inode flood counts as a full disk)."""
PYTHON_FLAGS = ["-P", "-s", "-B"]
JAIL_ENVS = "/envs"


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
        workdir = None if self.use_bwrap else tempfile.mkdtemp(prefix="autocoderl-")
        cgroup = CgroupLimiter.create(limits.pids, limits.memory_mb << 20) if self.use_cgroup else None
        try:
            return self._run(payload, nonce, workdir, limits, cgroup, started, env)
        finally:
            if cgroup is not None:
                cgroup.destroy()
            if workdir is not None:
                shutil.rmtree(workdir, ignore_errors=True)

    def _popen(self, workdir: str | None, limits: Limits, cgroup: CgroupLimiter | None,
               environment: EnvironmentInfo) -> subprocess.Popen:
        venv = list(dict.fromkeys(p for p in (environment.path, self.environments.base_info.path) if p))
        python = str(venv_python(Path(environment.path))) if environment.path else sys.executable
        if workdir is None:  # venvs appear under /envs/<name> (their .pth files point to each other relatively)
            binds = [(path, f"{JAIL_ENVS}/{Path(path).name}") for path in venv]
            if environment.path:
                python = str(venv_python(Path(JAIL_ENVS, Path(environment.path).name)))
            argv = bwrap_command([python, *PYTHON_FLAGS, "/harness/driver.py"], disk_bytes=limits.disk_mb << 20,
                                 read_only=binds, bin_dir=os.path.dirname(python),
                                 server_python=environment.path is None)
            cwd, home = "/", "/work"
        else:
            argv, cwd, home = [python, *PYTHON_FLAGS, str(HARNESS_DIR / "driver.py")], workdir, workdir
        env = {"PATH": f"{os.path.dirname(python)}:{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin",
               "LANG": "C.UTF-8", "HOME": home}
        nproc = nproc_limit(limits.pids) if cgroup is None else None
        confine = self.isolation is Isolation.LANDLOCK

        def preexec() -> None:
            if cgroup is not None:
                cgroup.enter()
            for res, value in ((resource.RLIMIT_CPU, limits.cpu_s), (resource.RLIMIT_FSIZE, limits.file_mb << 20),
                               (resource.RLIMIT_NOFILE, limits.nofile), (resource.RLIMIT_CORE, 0),
                               (resource.RLIMIT_AS, (limits.memory_mb + 256) << 20)):
                resource.setrlimit(res, (value, value))
            if nproc is not None:
                resource.setrlimit(resource.RLIMIT_NPROC, (nproc, nproc))
            if workdir is None:
                return
            ok = drop_capabilities()
            ok = landlock_restrict(writable=[workdir],
                                   readable=[sys.prefix, sys.base_prefix, str(HARNESS_DIR), *venv]) and ok
            ok = deny_network_sockets() and ok
            if confine and not ok:
                raise OSError("could not confine the sandbox child")

        try:
            return subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=preexec)
        except (OSError, subprocess.SubprocessError) as exc:
            raise SandboxError(f"could not start the sandbox: {exc}", runner=self.name) from exc

    def _run(self, payload: bytes, nonce: str, workdir: str | None, limits: Limits,
             cgroup: CgroupLimiter | None, started: float, environment: EnvironmentInfo) -> RunResult:
        proc = self._popen(workdir, limits, cgroup, environment)
        output = bytearray()
        total = [0]

        def pump_out() -> None:
            while chunk := proc.stdout.read(65536):
                total[0] += len(chunk)
                if len(output) < limits.output_bytes:
                    output.extend(chunk[: limits.output_bytes - len(output)])

        def pump_in() -> None:
            try:
                proc.stdin.write(payload)
                proc.stdin.close()
            except (BrokenPipeError, OSError):
                pass

        readers = [threading.Thread(target=pump_out, daemon=True), threading.Thread(target=pump_in, daemon=True)]
        for thread in readers:
            thread.start()
        deadline = started + limits.wall_s
        host_timeout = host_overflow = disk_over = False
        next_disk_check = 0.0
        while proc.poll() is None:
            now = time.monotonic()
            if now > deadline:
                host_timeout = True
                break
            if total[0] > limits.output_bytes + 65536:
                host_overflow = True
                break
            if workdir is not None and now >= next_disk_check:
                next_disk_check = now + 0.1
                if _over_quota(workdir, limits.disk_mb << 20):
                    disk_over = True
                    break
            time.sleep(0.005)
        self._kill_tree(proc, cgroup)
        readers[0].join(0.5)
        oom = cgroup.oom_killed() if cgroup is not None else False
        text = bytes(output).decode("utf-8", "replace")
        report = extract_report(text, nonce)
        status, reason = classify(report, host_timeout=host_timeout, host_overflow=host_overflow, oom=oom,
                                  exit_code=proc.returncode)
        if disk_over and not host_timeout:
            status, reason = RunStatus.DISK_FULL, (f"the work directory exceeded {limits.disk_mb} MiB or "
                                                   f"{MAX_WORK_ENTRIES} entries and the evaluation was killed")
        tail = text if report is None else text.split(f"AUTOCODERL-REPORT {nonce}")[0]
        return RunResult(status=status, runner=self.name, isolation=self.isolation,
                         duration_s=time.monotonic() - started, report=report, exit_code=proc.returncode,
                         reason=reason, output_tail=tail[-2000:], environment=environment.to_dict(),
                         isolation_note=self.isolation_note)

    @staticmethod
    def _kill_tree(proc: subprocess.Popen, cgroup: CgroupLimiter | None) -> None:
        """SIGTERM first (the driver then kills its whole signal scope), then SIGKILL the session, the cgroup
        and the process; then reap it (never wait on pipe EOF)."""
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(0.3)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if cgroup is not None:
            cgroup.kill_all()
        try:
            proc.kill()
        except ProcessLookupError:
            pass
        proc.wait()

    def close(self) -> None:
        """Stop background environment builds (nothing else persists)."""
        self.environments.close()


def _over_quota(root: str, max_bytes: int) -> bool:
    """True when the tree under `root` holds more than `max_bytes` (allocated) or MAX_WORK_ENTRIES entries."""
    used = entries = 0
    stack = [root]
    while stack:
        try:
            with os.scandir(stack.pop()) as it:
                for entry in it:
                    entries += 1
                    st = entry.stat(follow_symlinks=False)
                    used += st.st_blocks * 512
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                    if used > max_bytes or entries > MAX_WORK_ENTRIES:
                        return True
        except OSError:
            continue
    return False
