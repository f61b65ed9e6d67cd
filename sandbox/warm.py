"""The host side of the local runner's warm harness (`sandbox/harness/driver.py --serve`).

One long-lived harness process per environment (base venv or a task's derived venv) has imported
pytest, coverage and bandit and never runs candidate code; for each evaluation it forks a child that
enters its own jail (see `driver.serve`). This module starts it (in a bubblewrap jail when the host
allows one), speaks its framed protocol over stdin/stdout, and keeps the host in charge of time: a
run past its deadline is killed through the harness and through its cgroup.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sandbox.harness.hardening import child_pids
from sandbox.types import SandboxError

log = logging.getLogger("autocoderl.sandbox.warm")
READY_TIMEOUT_S = 120.0
CONFINE_FAILED = 125
"""Exit code of an evaluation child that could not enter its jail (driver._enter_jail): unscorable."""


@dataclass
class _Job:
    cap: int
    output: bytearray = field(default_factory=bytearray)
    total: int = 0
    exit_code: int | None = None
    disk_over: bool = False
    done: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class WarmOutcome:
    """What one evaluation printed and how it ended, as the harness and the host saw it."""

    output: bytes
    total_bytes: int
    exit_code: int | None
    disk_over: bool
    timed_out: bool


class WarmHarness:
    """A running `driver.py --serve` process. `argv` starts it (bwrap-wrapped or not); `preexec` runs in it
    before exec (the host's own limits on the harness itself)."""

    def __init__(self, argv: list[str], *, env: dict[str, str], cwd: str | None = None,
                 preexec: Callable[[], None] | None = None, readable: list[str] | None = None,
                 child_path: str = "/usr/bin:/bin") -> None:
        self.readable = list(readable or [])
        """Paths (as the harness sees them) an evaluation child may read besides the system's."""
        self.child_path = child_path
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=subprocess.PIPE, env=env, cwd=cwd, start_new_session=True,
                                         preexec_fn=preexec)
        except (OSError, subprocess.SubprocessError) as exc:
            raise SandboxError(f"could not start the warm harness: {exc}", runner="local") from exc
        self._write_lock = threading.Lock()
        self._jobs: dict[str, _Job] = {}
        self._ready = threading.Event()
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read, name="warm-harness-out", daemon=True).start()
        threading.Thread(target=self._drain_stderr, name="warm-harness-err", daemon=True).start()
        if not self._ready.wait(READY_TIMEOUT_S) or self.proc.poll() is not None:
            self.close()
            raise SandboxError("the warm harness did not start: "
                               f"{b''.join(self._stderr).decode(errors='replace')[-1500:]}", runner="local")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def _read(self) -> None:
        stream = self.proc.stdout
        while header := stream.readline():
            parts = header.decode(errors="replace").split()
            if parts == ["READY"]:
                self._ready.set()
            elif parts[:1] == ["OUT"] and len(parts) == 3:
                data = stream.read(int(parts[2]))
                job = self._jobs.get(parts[1])
                if job is not None:
                    job.total += len(data)
                    if len(job.output) < job.cap:
                        job.output.extend(data[: job.cap - len(job.output)])
            elif parts[:1] == ["EXIT"] and len(parts) == 4:
                job = self._jobs.get(parts[1])
                if job is not None:
                    job.exit_code = int(parts[2]) if parts[2] != "None" else None
                    job.disk_over = parts[3] == "1"
                    job.done.set()
        for job in list(self._jobs.values()):  # the harness died: every waiting run ends
            job.done.set()
        self.proc.wait()  # reap it as it ends, not at its next use (it would stay a zombie child meanwhile)

    def _drain_stderr(self) -> None:
        while chunk := self.proc.stderr.read1(65536):
            self._stderr = [*self._stderr[-15:], chunk]
            log.debug("warm harness: %s", chunk.decode(errors="replace").rstrip())

    def _send(self, data: bytes) -> None:
        try:
            with self._write_lock:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise SandboxError(f"the warm harness is gone: {exc}", runner="local") from exc

    def run(self, job: dict, payload: bytes, *, deadline: float, output_cap: int,
            on_timeout: Callable[[], None] | None = None) -> WarmOutcome:
        """Run one evaluation (`job`: the child's jail settings; `payload`: the one-shot driver's stdin) until
        it ends or `deadline` (monotonic) passes; then it is killed (`on_timeout`: the host's own kill, e.g.
        its cgroup). Raises SandboxError when the harness itself fails."""
        rid = secrets.token_hex(8)
        state = _Job(cap=output_cap + 65536)
        self._jobs[rid] = state
        body = json.dumps(job).encode() + b"\n" + payload
        try:
            self._send(f"RUN {rid} {len(body)}\n".encode() + body)
            timed_out = overflow = False
            while not state.done.wait(0.05):
                if not self.alive():
                    break
                if state.total > output_cap + 65536 and not overflow:
                    overflow = True
                    self._send(f"KILL {rid}\n".encode())
                if time.monotonic() > deadline:
                    timed_out = True
                    self._send(f"KILL {rid}\n".encode())
                    if on_timeout is not None:
                        on_timeout()
                    state.done.wait(2.0)
                    break
            if not state.done.is_set() and not timed_out:
                raise SandboxError("the warm harness died during an evaluation: "
                                   f"{b''.join(self._stderr).decode(errors='replace')[-800:]}", runner="local")
            return WarmOutcome(bytes(state.output), state.total, state.exit_code, state.disk_over, timed_out)
        finally:
            self._jobs.pop(rid, None)

    def standing_pids(self) -> set[int]:
        """The harness's own processes (its bwrap wrappers and the harness itself, not its evaluations): what a
        check for leftovers of an evaluation must not count."""
        standing = {self.proc.pid}
        frontier = [self.proc.pid]
        while frontier:
            parent = frontier.pop()
            if _command(parent)[:1] != ["bwrap"] and parent != self.proc.pid:
                continue  # below the harness itself: evaluations
            for child in child_pids(parent):
                standing.add(child)
                frontier.append(child)
        return standing

    def close(self) -> None:
        """Stop the harness and everything it started (its session)."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            os.killpg(self.proc.pid, 9)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _command(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return [os.path.basename(a.decode(errors="replace")) if i == 0 else a.decode(errors="replace")
                    for i, a in enumerate(fh.read().split(b"\0")[:-1])]
    except OSError:
        return []
