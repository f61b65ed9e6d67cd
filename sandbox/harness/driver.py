"""Sandbox driver: unpack the repo, run pytest+coverage, bandit and ruff, print one JSON report.

Runs inside the sandbox (container or local jail) with the standard library only. Protocol:
stdin = one JSON config line, then an uncompressed tar of the repo. stdout = one line
``AUTOCODERL-REPORT <nonce> <json>``. The nonce arrives on stdin only, never in argv or the
environment, so code under test (a different, non-dumpable-parent process) cannot forge the line.

Where Landlock scoping exists (ABI >= 6) the driver first enters a signal scope of its own and
pytest_child a nested one: code under test can then neither kill nor ptrace the driver, and the
driver's `kill(-1)` at the end (or on the host's SIGTERM) removes every process it started,
setsid() daemons included, even without a pid namespace or cgroup.
"""

import ctypes
import hashlib
import hmac
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUFF_SELECT = "E,W,F,B,C4,SIM,UP,PIE,RET,PERF,N"
RUFF_IGNORE = "E501,W291,W292,W293,W391,E301,E302,E303,E304,E305,E306"
"""Formatting trivia is no finding: line length, trailing whitespace, the final newline, blank-line counts."""
BANDIT_SKIP = "B413"
"""pyCrypto's import check: pyCrypto cannot be installed on Python 3, so any `Crypto` import is pycryptodome."""
MAX_RESTARTS = 50
MARKER = "AUTOCODERL-REPORT"


def make_non_dumpable() -> bool:
    """PR_SET_DUMPABLE=0: same-uid code under test cannot ptrace us or read /proc/<pid>/mem."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(4, 0, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


class _ScopeAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


def scope_signals() -> bool:
    """Put this process in a new Landlock domain that scopes signals and abstract unix sockets (ABI >= 6).

    Its later children can no longer signal (or ptrace) it or anything outside their domain, and
    `kill(-1)` from it reaches only its own descendants. False where Landlock is too old or absent.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.syscall(444, None, 0, 1) < 6:  # landlock_create_ruleset(VERSION)
            return False
        ruleset = libc.syscall(444, ctypes.byref(_ScopeAttr(0, 0, 3)), ctypes.sizeof(_ScopeAttr), 0)
        if ruleset < 0:
            return False
        try:
            return libc.prctl(38, 1, 0, 0, 0) == 0 and libc.syscall(446, ruleset, 0) == 0  # no_new_privs, restrict
        finally:
            os.close(ruleset)
    except (OSError, AttributeError):
        return False


def kill_descendants(scoped: bool) -> None:
    """SIGKILL every process of our signal scope, i.e. everything we started, even setsid() daemons."""
    if scoped:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass


def disk_exhausted(path: str) -> bool:
    try:
        st = os.statvfs(path)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < (1 << 20)


def safe_extract(data: bytes, dest: str) -> int:
    """Extract regular files only; refuse links, devices, absolute and parent paths."""
    count = 0
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        for member in tar.getmembers():
            name = member.name
            if not member.isfile() or name.startswith("/") or ".." in name.split("/"):
                raise ValueError(f"refused tar member {name!r}")
            target = os.path.join(dest, name)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            src = tar.extractfile(member)
            with open(target, "wb") as fh:
                fh.write(src.read() if src else b"")
            count += 1
    return count


class CappedReader(threading.Thread):
    """Reads a pipe to the end, keeping at most `cap` bytes; flags overflow."""

    def __init__(self, stream, cap: int) -> None:
        super().__init__(daemon=True)
        self.stream, self.cap = stream, cap
        self.buf = bytearray()
        self.total = 0

    def run(self) -> None:
        while True:
            chunk = self.stream.read(65536)
            if not chunk:
                return
            self.total += len(chunk)
            if len(self.buf) < self.cap:
                self.buf.extend(chunk[: self.cap - len(self.buf)])

    @property
    def overflow(self) -> bool:
        return self.total > self.cap

    def text(self) -> str:
        return bytes(self.buf).decode("utf-8", "replace")


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.kill()
    except ProcessLookupError:
        pass


def child_env(work: str) -> dict:
    return {
        "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
        "HOME": work,
        "TMPDIR": os.path.join(work, "tmp"),
        "LANG": "C.UTF-8",
        "TZ": "UTC",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
    }


def tool_cmd(module: str) -> list:
    return [sys.executable, "-P", "-s", "-B", "-m", module]


def ruff_cmd() -> list:
    exe = os.path.join(os.path.dirname(sys.executable), "ruff")
    return [exe] if os.path.exists(exe) else tool_cmd("ruff")


def start(cmd: list, cwd: str, env: dict, cap: int, **kw) -> tuple:
    """Start a tool in its own session, with capped readers on both pipes from the first byte."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, **kw)
    out, err = CappedReader(proc.stdout, cap), CappedReader(proc.stderr, 16384)
    out.start()
    err.start()
    return proc, out, err, cap


def finish(started: tuple, deadline: float) -> dict:
    """Wait for a tool until the deadline; returns its capped stdout/stderr and how it ended."""
    proc, out, err, cap = started
    timed_out = overflow = False
    while proc.poll() is None:
        overflow = out.total + err.total > cap
        if time.monotonic() > deadline or overflow:
            timed_out = not overflow
            kill_group(proc)
            break
        time.sleep(0.005)
    proc.wait()
    # A leftover grandchild may still hold the pipes: never wait for EOF past the process exit.
    out.join(0.2)
    err.join(0.2)
    kill_group(proc)
    return {"returncode": proc.returncode, "stdout": out.text(), "stderr": err.text(),
            "timed_out": timed_out, "output_overflow": overflow or out.total + err.total > cap,
            "output_bytes": out.total + err.total}


def parse_json(text: str):
    try:
        return json.loads(text) if text.strip() else None
    except ValueError:
        return None


class EventReader(threading.Thread):
    """Reads the test child's signed event lines; a line whose HMAC does not verify marks the channel forged."""

    def __init__(self, fd: int, key: bytes) -> None:
        super().__init__(daemon=True)
        self.stream, self.key = os.fdopen(fd, "rb"), key
        self.events: list = []
        self.forged = False
        self.lock = threading.Lock()

    def run(self) -> None:
        total = 0
        for raw in self.stream:
            total += len(raw)
            if total > (16 << 20):
                self.forged = True
                return
            mac, _, body = raw.rstrip(b"\n").partition(b" ")
            expected = hmac.new(self.key, body, hashlib.sha256).hexdigest().encode()
            event = parse_json(body.decode("utf-8", "replace")) if hmac.compare_digest(mac, expected) else None
            if not isinstance(event, dict):
                self.forged = True
                continue
            with self.lock:
                self.events.append(event)

    def drain(self) -> list:
        with self.lock:
            events, self.events = self.events, []
        return events


class TestRun:
    """What the test children reported, merged over restarts."""

    def __init__(self) -> None:
        self.collected: list | None = None
        self.collect_errors: list = []
        self.outcomes: dict = {}
        self.durations: dict = {}
        self.violations: list = []
        self.coverage: dict = {}
        self.done: dict | None = None
        self.current: tuple | None = None  # (test id, started at, budget)
        self.timeouts: list = []
        self.crashes: list = []
        self.unexpected = False

    def apply(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "collected":
            ids = [str(i) for i in event.get("ids", [])]
            if self.collected is None:
                self.collected = ids
                self.collect_errors = event.get("errors", [])
            elif not set(ids) <= set(self.collected):
                self.unexpected = True  # a resumed run collected tests the first one did not
        elif kind == "start":
            self.current = (str(event.get("id")), time.monotonic(), float(event.get("budget", 5.0)))
        elif kind == "outcome":
            test = str(event.get("id"))
            if test in self.outcomes:
                self.unexpected = True
            self.outcomes[test] = str(event.get("outcome"))
            self.durations[test] = float(event.get("duration") or 0.0)
            self.current = None
        elif kind == "violation":
            self.violations.append({k: event.get(k) for k in ("kind", "target", "test", "detail")})
        elif kind == "done":
            self.done = event
            for path, data in (event.get("coverage") or {}).items():
                merged = self.coverage.setdefault(path, {"statements": set(data["statements"]),
                                                         "missing": set(data["missing"])})
                merged["missing"] &= set(data["missing"])
        else:
            self.unexpected = True

    def interrupted(self, outcome: str) -> None:
        """The child died or was killed while a test ran: that test gets `outcome` (timeout or crashed)."""
        if self.current is not None:
            test = self.current[0]
            self.outcomes[test] = outcome
            self.durations[test] = round(time.monotonic() - self.current[1], 4)
            (self.timeouts if outcome == "timeout" else self.crashes).append(test)
            self.current = None

    def remaining(self) -> list:
        return [t for t in self.collected or [] if t not in self.outcomes]

    def result(self) -> dict | None:
        if self.collected is None:
            return None
        done = self.done or {}
        return {"exit_code": done.get("exit_code"), "outcomes": self.outcomes, "durations": self.durations,
                "collected": self.collected,
                "collect_errors": self.collect_errors,
                "coverage": {p: {"statements": len(d["statements"]), "missing": sorted(d["missing"])}
                             for p, d in self.coverage.items()},
                "versions": done.get("versions", {}), "integrity": {"violations": self.violations},
                "timeouts": self.timeouts, "crashes": self.crashes}


def test_file_hashes(repo: str, test_paths: list) -> dict:
    """sha256 of every file under the test paths, taken before any repo code runs."""
    hashes = {}
    for test_path in test_paths:
        root = os.path.join(repo, test_path.split("::")[0])
        walk = [(os.path.dirname(root), [], [os.path.basename(root)])] if os.path.isfile(root) else os.walk(root)
        for folder, _, files in walk:
            for name in files:
                path = os.path.join(folder, name)
                with open(path, "rb") as fh:
                    hashes[os.path.relpath(path, repo)] = hashlib.sha256(fh.read()).hexdigest()
    return hashes


def run_tests(config: dict, repo: str, env: dict, deadline: float, cap: int, scoped: bool) -> dict:
    """Run the tests in a child, resuming after a test that hangs past its budget or kills its process.

    pytest-timeout fails a slow test inside the child (cheap, the child goes on); a test that ignores it, or
    a crash, costs one restart with the tests that remain. The run's deadline stays the last resort.
    """
    run = TestRun()
    hashes = test_file_hashes(repo, config.get("test_paths", ["tests"]))
    output, forged, restarts = [], False, 0
    overflow = deadline_hit = False
    select = None
    grace = float(config.get("budget_grace", 2.0))
    while True:
        key = os.urandom(32)
        key_r, key_w = os.pipe()
        os.write(key_w, key)
        os.close(key_w)
        report_r, report_w = os.pipe()
        child_args = json.dumps({"report_fd": report_w, "key_fd": key_r,
                                 "sources": list(config.get("source_files", [])), "scope": scoped,
                                 "test_paths": config.get("test_paths", ["tests"]), "select": select,
                                 "budgets": config.get("budgets") or {}, "test_files": hashes,
                                 "default_budget": float(config.get("default_budget", 5.0))})
        started = start([sys.executable, "-P", "-s", "-B", os.path.join(HERE, "pytest_child.py"), child_args],
                        repo, env, cap, pass_fds=(report_w, key_r))
        os.close(report_w)
        os.close(key_r)
        reader = EventReader(report_r, key)
        reader.start()
        proc, out, err, _ = started
        killed_for = None
        while proc.poll() is None:
            for event in reader.drain():
                run.apply(event)
            now = time.monotonic()
            if run.current is not None and now > run.current[1] + run.current[2] * 1.5 + grace:
                killed_for = "timeout"
                break
            if now > deadline:
                deadline_hit = True
                break
            if out.total + err.total > cap:
                overflow = True
                break
            time.sleep(0.005)
        kill_group(proc)
        proc.wait()
        reader.join(0.5)
        out.join(0.2)
        err.join(0.2)
        for event in reader.drain():
            run.apply(event)
        forged = forged or reader.forged or run.unexpected
        output.append(out.text() + err.text())
        if run.done is not None and not (killed_for or deadline_hit or overflow):
            break
        run.interrupted("timeout" if killed_for or deadline_hit else "crashed")
        run.done = None
        if overflow or deadline_hit or run.collected is None or forged:
            break
        select = run.remaining()
        restarts += 1
        if not select or restarts > MAX_RESTARTS:
            break
    text = "".join(output)
    return {"returncode": proc.returncode, "timed_out": deadline_hit,
            "output_overflow": overflow, "output_tail": text[-4000:], "forged": forged, "restarts": restarts,
            "result": run.result() if not forged else None}


def main() -> int:
    config = json.loads(sys.stdin.buffer.readline())
    started = time.monotonic()  # after the config: a pre-started (pooled) sandbox may wait on stdin for long
    nonce = config.pop("nonce")
    deadline = started + float(config.get("deadline_s", 25))
    work = os.getcwd()
    repo = os.path.join(work, "repo")
    notes = []
    scoped = scope_signals()

    def on_term(*_) -> None:  # the host's last word before SIGKILL: take every descendant down with us
        kill_descendants(scoped)
        os._exit(143)

    signal.signal(signal.SIGTERM, on_term)
    report = {"harness_version": 2, "python": sys.version.split()[0], "python_build": sys.version,
              "non_dumpable": make_non_dumpable(), "signal_scoped": scoped}
    try:
        os.makedirs(os.path.join(work, "tmp"), exist_ok=True)
        report["files"] = safe_extract(sys.stdin.buffer.read(), repo)
    except OSError as exc:
        report["disk_full"] = exc.errno == 28
        notes.append(f"unpack failed: {exc.strerror}")
        return emit(nonce, report, notes, started)
    except (ValueError, tarfile.TarError) as exc:
        report["refused"] = str(exc)
        notes.append(f"unpack refused: {exc}")
        return emit(nonce, report, notes, started)
    env = child_env(work)
    sources = list(config.get("source_files", []))
    cap = int(config.get("output_bytes", 1 << 20))
    procs = {}
    if config.get("run_tools", True) and sources:
        procs["bandit"] = start(tool_cmd("bandit") + ["-q", "-f", "json", "--ignore-nosec", "--skip", BANDIT_SKIP,
                                                      *sources], repo, env, 4 << 20)
        procs["ruff"] = start(ruff_cmd() + ["check", "--isolated", "--no-cache", "--ignore-noqa", "--exit-zero",
                                            "--output-format", "json", "--select", RUFF_SELECT,
                                            "--ignore", RUFF_IGNORE, *sources], repo, env, 4 << 20)
    report["pytest"] = run_tests(config, repo, env, deadline, cap, scoped)
    results = {name: finish(started, deadline) for name, started in procs.items()}
    kill_descendants(scoped)
    if disk_exhausted(work):
        report["disk_full"] = True
        notes.append("the work directory ran out of space")
    if "bandit" in results:
        bandit = parse_json(results["bandit"]["stdout"]) or {}
        report["bandit"] = {"results": [{k: r.get(k) for k in ("test_id", "filename", "line_number",
                                                                "issue_severity", "issue_confidence", "issue_text")}
                                        | {"cwe": (r.get("issue_cwe") or {}).get("id")}
                                        for r in bandit.get("results", [])],
                            "errors": bandit.get("errors", []), "ok": "results" in bandit,
                            "timed_out": results["bandit"]["timed_out"]}
        ruff = parse_json(results["ruff"]["stdout"])
        report["ruff"] = {"results": [{"code": r.get("code") or "syntax-error", "filename": r.get("filename"),
                                       "line": (r.get("location") or {}).get("row"), "message": r.get("message")}
                                      for r in (ruff or [])],
                          "ok": isinstance(ruff, list), "timed_out": results["ruff"]["timed_out"]}
    return emit(nonce, report, notes, started)


def emit(nonce: str, report: dict, notes: list, started: float) -> int:
    report["notes"] = notes
    report["duration_s"] = round(time.monotonic() - started, 3)
    line = f"{MARKER} {nonce} {json.dumps(report, separators=(',', ':'))}\n"
    os.write(1, line.encode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
