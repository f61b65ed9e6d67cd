"""LocalRunner: the Docker-less fallback (HF Spaces, laptops). Hardened subprocesses, same result type.

Per evaluation: a fresh private temp dir; the harness under `python -P -s` with a scrubbed
environment; rlimits; its own session; a bubblewrap jail (no network, own pid namespace, minimal
read-only filesystem) when the host allows one; a throwaway cgroup (pids + memory) when writable.
The host owns the deadline: the whole tree is killed at it and we wait for exit, not for pipes.
"""

from __future__ import annotations

import json
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

from sandbox.cgroup import CgroupLimiter
from sandbox.hardening import landlock_restrict, make_non_dumpable
from sandbox.jail import HARNESS_DIR, bwrap_command, bwrap_works
from sandbox.outcome import classify, extract_report
from sandbox.tarball import build_tar
from sandbox.types import Isolation, Limits, RunRequest, RunResult


class LocalRunner:
    """Runs the harness in a hardened local subprocess; reports which isolation it really had."""

    name = "local"
    image = None

    def __init__(self, *, use_bwrap: bool | None = None, use_cgroup: bool | None = None) -> None:
        make_non_dumpable()
        self.use_bwrap = bwrap_works() if use_bwrap is None else use_bwrap
        self.use_cgroup = CgroupLimiter.available() if use_cgroup is None else use_cgroup
        self.isolation = Isolation.BWRAP if self.use_bwrap else (
            Isolation.LANDLOCK if landlock_restrict(probe=True) else Isolation.RLIMITS)

    def describe(self) -> dict:
        return {"runner": self.name, "isolation": self.isolation.value, "cgroup": self.use_cgroup}

    def run(self, request: RunRequest) -> RunResult:
        started = time.monotonic()
        limits = request.limits
        nonce = secrets.token_hex(16)
        config = {"nonce": nonce, "source_files": list(request.source_files), "test_paths": list(request.test_paths),
                  "run_tools": request.run_tools, "deadline_s": max(1.0, limits.wall_s - 1.0),
                  "output_bytes": limits.output_bytes}
        payload = json.dumps(config).encode() + b"\n" + build_tar(request.files)
        workdir = tempfile.mkdtemp(prefix="autocoderl-")
        cgroup = CgroupLimiter.create(limits.pids, limits.memory_mb << 20) if self.use_cgroup else None
        try:
            return self._run(payload, nonce, workdir, limits, cgroup, started)
        finally:
            if cgroup is not None:
                cgroup.destroy()
            shutil.rmtree(workdir, ignore_errors=True)

    def _argv(self, workdir: str) -> tuple[list[str], str]:
        if self.use_bwrap:
            os.chmod(workdir, 0o777)  # the jail's uid 65534 maps to us; the dir itself is private to its parent
            return bwrap_command(workdir, [sys.executable, "-P", "-s", "-B", "/harness/driver.py"]), workdir
        return [sys.executable, "-P", "-s", "-B", str(HARNESS_DIR / "driver.py")], workdir

    def _run(self, payload: bytes, nonce: str, workdir: str, limits: Limits,
             cgroup: CgroupLimiter | None, started: float) -> RunResult:
        argv, cwd = self._argv(workdir)
        env = {"PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
               "HOME": workdir}
        jailed = self.use_bwrap

        def preexec() -> None:
            if cgroup is not None:
                cgroup.enter()
            for res, value in ((resource.RLIMIT_CPU, limits.cpu_s), (resource.RLIMIT_FSIZE, limits.file_mb << 20),
                               (resource.RLIMIT_NOFILE, limits.nofile), (resource.RLIMIT_CORE, 0),
                               (resource.RLIMIT_AS, (limits.memory_mb + 256) << 20)):
                resource.setrlimit(res, (value, value))
            if not jailed:
                landlock_restrict(writable=[workdir], readable=[sys.prefix, sys.base_prefix, str(HARNESS_DIR)])

        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=preexec)
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
        host_timeout = host_overflow = False
        while proc.poll() is None:
            if time.monotonic() > deadline:
                host_timeout = True
                break
            if total[0] > limits.output_bytes + 65536:
                host_overflow = True
                break
            time.sleep(0.005)
        self._kill_tree(proc, cgroup)
        readers[0].join(0.5)
        oom = cgroup.oom_killed() if cgroup is not None else False
        text = bytes(output).decode("utf-8", "replace")
        report = extract_report(text, nonce)
        status, reason = classify(report, host_timeout=host_timeout, host_overflow=host_overflow, oom=oom,
                                  exit_code=proc.returncode)
        tail = text if report is None else text.split(f"AUTOCODERL-REPORT {nonce}")[0]
        return RunResult(status=status, runner=self.name, isolation=self.isolation,
                         duration_s=time.monotonic() - started, report=report, exit_code=proc.returncode,
                         reason=reason, output_tail=tail[-2000:])

    @staticmethod
    def _kill_tree(proc: subprocess.Popen, cgroup: CgroupLimiter | None) -> None:
        """Kill the session, the cgroup and the process; then reap it (never wait on pipe EOF)."""
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
        """Nothing persistent to release."""
