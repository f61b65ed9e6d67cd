"""Sandbox driver: unpack the repo, run pytest+coverage, bandit and ruff, print one JSON report.

Runs inside the sandbox (container or local jail). Protocol: stdin = one JSON config line, then an
uncompressed tar of the repo. stdout = one line ``AUTOCODERL-REPORT <nonce> <json>``. The nonce arrives
on stdin only, never in argv or the environment, so code under test (a different, non-dumpable-parent
process) cannot forge the line.

Three ways to start it:
- `driver.py` (cold): one evaluation; the test child and bandit are fresh interpreters.
- `driver.py --warm` (a pooled Docker container): pytest, coverage and bandit are imported while the
  container waits for its stdin, and the test child and bandit are forked from this warm process.
- `driver.py --serve` (the local runner's warm harness, see `serve`): a long-lived process that has
  imported the tools and never runs candidate code; it forks one child per evaluation, which enters its
  jail (cgroup, rlimits, Landlock on its own work dir, no network sockets, a signal scope) and then runs
  the evaluation as above. Nothing passes from one evaluation to the next: each child is a fresh fork of
  a process that never saw a repo, its work dir is removed, and its processes are killed.

Where Landlock scoping exists (ABI >= 6) the driver first enters a signal scope of its own and
pytest_child a nested one: code under test can then neither kill nor ptrace the driver, and the
driver's `kill(-1)` at the end (or on the host's SIGTERM) removes every process it started,
setsid() daemons included, even without a pid namespace or cgroup.
"""

import hashlib
import hmac
import importlib.util
import io
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
RUFF_SELECT = "E,W,F,B,C4,SIM,UP,PIE,RET,PERF,N"
RUFF_IGNORE = "E501,W291,W292,W293,W391,E301,E302,E303,E304,E305,E306"
"""Formatting trivia is no finding: line length, trailing whitespace, the final newline, blank-line counts."""
BANDIT_SKIP = "B413"
"""pyCrypto's import check: pyCrypto cannot be installed on Python 3, so any `Crypto` import is pycryptodome."""
MAX_RESTARTS = 50
MARKER = "AUTOCODERL-REPORT"


def load(name: str):
    """A sibling harness module, imported by path (the harness never puts its folder on sys.path)."""
    module = sys.modules.get(f"autocoderl_{name}")
    if module is None:
        spec = importlib.util.spec_from_file_location(f"autocoderl_{name}", os.path.join(HERE, f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module


SANDBOX_NICE = 10
hardening = load("hardening")
WARM: dict = {}
"""Set by `warm_up()`: the imported pytest child module and bandit's entry point."""


def warm_up() -> None:
    """Import the tools now (pytest, coverage, pytest-timeout, bandit and its plugins) and take the integrity
    snapshot, so each evaluation forks them instead of starting fresh interpreters."""
    if WARM:
        return
    WARM["pytest_child"] = load("pytest_child")
    from _pytest.config import default_plugins

    for name in default_plugins:  # pytest imports these while it configures itself: once here, not per run
        importlib.import_module(f"_pytest.{name}")
    from bandit.cli import main as bandit_main
    from bandit.core import extension_loader  # noqa: F401 - loads bandit's plugins now

    WARM["bandit"] = bandit_main.main
    WARM["pytest_child"].prepare()
    import gc

    gc.collect()
    gc.freeze()  # the forked children neither scan nor copy the tools' objects (pytest collects at session end)


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
            chunk = self.stream.read1(65536)  # what is there: a daemon holding the pipe must not hide the output
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


class Forked:
    """A child forked from this (warm) process that runs `target()`; the Popen surface `start`/`finish` use:
    its own session, stdin from /dev/null, stdout/stderr on pipes, only `pass_fds` kept open."""

    def __init__(self, target, cwd: str, env: dict, pass_fds: tuple = ()) -> None:  # noqa: ANN001
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            code = 1
            try:
                os.setsid()
                null = os.open(os.devnull, os.O_RDONLY)
                for fd, target_fd in ((null, 0), (out_w, 1), (err_w, 2)):
                    os.dup2(fd, target_fd)
                keep = sorted({0, 1, 2, *pass_fds})
                for low, high in zip(keep, [*keep[1:], 65536], strict=True):
                    os.closerange(low + 1, high)
                os.chdir(cwd)
                os.environ.clear()
                os.environ.update(env)
                code = target() or 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            except BaseException:  # noqa: BLE001 - report and die like an interpreter would
                traceback.print_exc()
            finally:
                for stream in (sys.stdout, sys.stderr):
                    try:
                        stream.flush()
                    except BaseException:  # noqa: BLE001
                        pass
                os._exit(code)
        os.close(out_w)
        os.close(err_w)
        self.stdout, self.stderr = os.fdopen(out_r, "rb"), os.fdopen(err_r, "rb")
        self.returncode = None
        self.cpu_s = 0.0

    def poll(self):
        if self.returncode is None:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self.returncode, self.cpu_s = os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime
        return self.returncode

    def wait(self):
        if self.returncode is None:
            _, status, usage = os.wait4(self.pid, 0)
            self.returncode, self.cpu_s = os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            os.kill(self.pid, signal.SIGKILL)


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


def start(cmd, cwd: str, env: dict, cap: int, **kw) -> tuple:  # noqa: ANN001
    """Start a tool in its own session (`cmd`: an argv, or a callable to run in a forked child of this warm
    process), with capped readers on both pipes from the first byte."""
    if callable(cmd):
        proc = Forked(cmd, cwd, env, kw.get("pass_fds", ()))
    else:
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
            "cpu_s": getattr(proc, "cpu_s", None), "timed_out": timed_out,
            "output_overflow": overflow or out.total + err.total > cap, "output_bytes": out.total + err.total}


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


def _run_argv(entry, argv: list):  # noqa: ANN001
    """Run a console entry point with `argv` in this (forked) process."""
    sys.argv = argv
    return entry()


def run_tests(config: dict, repo: str, env: dict, deadline: float, cap: int, scoped: bool) -> dict:
    """Run the tests in a child, resuming after a test that hangs past its budget or kills its process.

    pytest-timeout fails a slow test inside the child (cheap, the child goes on); a test that ignores it, or
    a crash, costs one restart with the tests that remain. The run's deadline stays the last resort.
    """
    run = TestRun()
    cpu_s = 0.0
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
                                 "wall_factor": float(config.get("wall_factor", 4.0)),
                                 "tracebacks": bool(config.get("tracebacks", True)),
                                 "default_budget": float(config.get("default_budget", 5.0))})
        command = [sys.executable, "-P", "-s", "-B", os.path.join(HERE, "pytest_child.py"), child_args]
        if WARM:  # the same child as a cold start would run, argv included
            command = lambda argv=command: _run_argv(lambda: WARM["pytest_child"].run(json.loads(argv[-1])),  # noqa: E731
                                                     argv[4:])
        started = start(command, repo, env, cap, pass_fds=(report_w, key_r))
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
        cpu_s += getattr(proc, "cpu_s", 0.0)
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
    return {"returncode": proc.returncode, "timed_out": deadline_hit, "cpu_s": round(cpu_s, 3),
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
    scoped = hardening.scope_signals()

    def on_term(*_) -> None:  # the host's last word before SIGKILL: take every descendant down with us
        kill_descendants(scoped)
        os._exit(143)

    signal.signal(signal.SIGTERM, on_term)
    report = {"harness_version": 2, "python": sys.version.split()[0], "python_build": sys.version,
              "non_dumpable": hardening.make_non_dumpable(), "signal_scoped": scoped, "warm": bool(WARM)}
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
        bandit_args = ["-q", "-f", "json", "--ignore-nosec", "--skip", BANDIT_SKIP, *sources]
        procs["bandit"] = start(tool_cmd("bandit") + bandit_args if not WARM else
                                lambda: _run_argv(WARM["bandit"], ["bandit", *bandit_args]), repo, env, 4 << 20)
        procs["ruff"] = start(ruff_cmd() + ["check", "--isolated", "--no-cache", "--ignore-noqa", "--exit-zero",
                                            "--output-format", "json", "--select", RUFF_SELECT,
                                            "--ignore", RUFF_IGNORE, *sources], repo, env, 4 << 20)
    unpacked = time.monotonic()
    report["pytest"] = run_tests(config, repo, env, deadline, cap, scoped)
    tested = time.monotonic()
    results = {name: finish(started, deadline) for name, started in procs.items()}
    report["timings"] = {"unpack_s": round(unpacked - started, 4), "tests_s": round(tested - unpacked, 4),
                         "tools_after_tests_s": round(time.monotonic() - tested, 4),
                         "pytest_cpu_s": report["pytest"].pop("cpu_s"),
                         **{f"{name}_cpu_s": r["cpu_s"] for name, r in results.items() if r["cpu_s"] is not None}}
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
    # CPU of this evaluation: the driver (a fresh fork or process: its counters start at zero) and every tool
    # process it waited for (pytest, bandit, ruff)
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    report["cpu_s"] = round(sum(u.ru_utime + u.ru_stime for u in usage), 3)
    line = f"{MARKER} {nonce} {json.dumps(report, separators=(',', ':'))}\n"
    os.write(1, line.encode())
    return 0


# ---- the warm harness (local runner) ----------------------------------------------------------------------

def _over_quota(root: str, max_bytes: int, max_entries: int) -> bool:
    """True when the tree under `root` holds more than `max_bytes` (allocated) or `max_entries` entries."""
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
                    if used > max_bytes or entries > max_entries:
                        return True
        except OSError:
            continue
    return False


def _enter_jail(job: dict, workdir: str) -> None:
    """In an evaluation child, before anything of the repo exists: its cgroup, rlimits, its own work dir as
    the only writable place (Landlock), no network sockets, no capabilities. Exits 125 when a required
    confinement cannot be set up (the host then reports the evaluation as unscorable)."""
    for folder in job.get("cgroups", []):
        with open(os.path.join(folder, "cgroup.procs"), "w") as fh:
            fh.write(str(os.getpid()))
    for name, value in job.get("rlimits", {}).items():
        resource.setrlimit(getattr(resource, name), (value, value))
    os.mkdir(workdir, 0o700)
    os.chdir(workdir)
    ok = hardening.drop_capabilities()
    ok = hardening.landlock_restrict(writable=[workdir], readable=job.get("readable", [])) and ok
    ok = hardening.deny_network_sockets() and ok
    if job.get("confine") and not ok:
        os.write(2, b"could not confine the evaluation child\n")
        os._exit(125)


class _Zygote:
    """The server side of `serve`: frames on stdin/stdout, one thread per running evaluation."""

    def __init__(self) -> None:
        self.out_lock = threading.Lock()
        self.running: dict = {}
        self.exits: dict = {}
        self.exited = threading.Condition()
        self.work_root = os.environ.get("AUTOCODERL_WORK_ROOT") or os.getcwd()
        # Orphans of an evaluation (a setsid daemon's children, say) are reparented here, not to the server or
        # PID 1 of a container: one thread reaps every child, so none stays a zombie.
        hardening.set_child_subreaper()
        threading.Thread(target=self._reap, name="reaper", daemon=True).start()

    def _reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, 0)
            except ChildProcessError:
                time.sleep(0.05)
                continue
            with self.exited:
                if pid in self.running.values():
                    self.exits[pid] = os.waitstatus_to_exitcode(status)
                    self.exited.notify_all()

    def send(self, header: str, data: bytes = b"") -> None:
        with self.out_lock:
            os.write(1, header.encode() + b"\n" + data)

    def start(self, rid: str, payload: bytes) -> None:
        line, _, rest = payload.partition(b"\n")
        job = json.loads(line)
        WARM["pytest_child"].precompile(rest)  # the child inherits the rewritten test modules
        workdir = os.path.join(self.work_root, "e-" + os.urandom(8).hex())
        stdin_r, stdin_w = os.pipe()
        out_r, out_w = os.pipe()
        self.exited.acquire()  # until registered: the reaper may see this child exit at once
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.setsid()
                os.dup2(stdin_r, 0)
                os.dup2(out_w, 1)
                os.dup2(out_w, 2)
                os.closerange(3, 65536)
                # fresh stdio objects: the inherited ones may hold bytes buffered from the request stream
                sys.stdin = open(0, closefd=False)  # noqa: SIM115
                sys.stdout, sys.stderr = open(1, "w", closefd=False), open(2, "w", closefd=False)  # noqa: SIM115
                _enter_jail(job, workdir)
                os.environ.clear()
                os.environ.update(job.get("env", {}))
                code = main()
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            except BaseException:  # noqa: BLE001
                traceback.print_exc()
            finally:
                os._exit(code)
        os.close(stdin_r)
        os.close(out_w)
        self.running[rid] = pid
        self.exited.release()
        threading.Thread(target=self._feed, args=(stdin_w, rest), daemon=True).start()
        threading.Thread(target=self._watch, args=(rid, pid, out_r, workdir, job), daemon=True).start()

    @staticmethod
    def _feed(fd: int, data: bytes) -> None:
        try:
            while data:
                data = data[os.write(fd, data):]
        except OSError:
            pass
        finally:
            os.close(fd)

    def _watch(self, rid: str, pid: int, out_r: int, workdir: str, job: dict) -> None:
        """Relay the child's output, watch its work dir's size, reap it, remove its files, report its end."""
        disk = job.get("disk", {})
        over = False
        next_check = 0.0
        os.set_blocking(out_r, False)
        status = None
        while status is None:
            ready, _, _ = select.select([out_r], [], [], 0.05)
            if ready:
                chunk = _read(out_r)
                if chunk:
                    self.send(f"OUT {rid} {len(chunk)}", chunk)
            if time.monotonic() >= next_check and disk:
                next_check = time.monotonic() + 0.1
                if _over_quota(workdir, disk["bytes"], disk["entries"]):
                    over = True
                    _kill_session(pid)
            with self.exited:
                status = self.exits.pop(pid, None)
        while chunk := _read(out_r):
            self.send(f"OUT {rid} {len(chunk)}", chunk)
        os.close(out_r)
        _kill_session(pid)  # nothing of the evaluation outlives it (the host's cgroup kill backs this up)
        # descendants reparented here by the subreaper. The children are listed first and the running evaluations
        # read after: `start` registers a child under the same lock it forked under, so an evaluation forked while
        # the list was taken is known by then (read the other way round, a fresh evaluation was killed as an orphan)
        children = hardening.child_pids(os.getpid())
        with self.exited:
            tracked = set(self.running.values())
        for orphan in children - tracked:
            _kill_session(orphan)
        shutil.rmtree(workdir, ignore_errors=True)
        self.running.pop(rid, None)
        self.send(f"EXIT {rid} {status} {int(over)}")

    def kill(self, rid: str) -> None:
        pid = self.running.get(rid)
        if pid:
            _kill_session(pid)


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except BlockingIOError:
        return b""
    except OSError:
        return b""


def _kill_session(pid: int) -> None:
    for kill in (os.killpg, os.kill):
        try:
            kill(pid, signal.SIGKILL)
        except OSError:
            pass


def serve() -> int:
    """The warm harness: import the tools, say READY, then run requests until stdin closes.

    Requests: `RUN <id> <n>` + n bytes (a JSON job line - cgroups, rlimits, readable paths, disk quota, env -
    then exactly what a one-shot driver reads on stdin) and `KILL <id>`. Answers: `OUT <id> <n>` + n bytes of
    the evaluation's output, `EXIT <id> <exit code> <disk over quota 0|1>`.
    """
    warm_up()
    WARM["pytest_child"].index_fixtures()
    import gc

    gc.freeze()  # the index too
    hardening.make_non_dumpable()
    zygote = _Zygote()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    zygote.send("READY")
    stdin = sys.stdin.buffer
    while header := stdin.readline():
        parts = header.decode().split()
        if parts[:1] == ["RUN"] and len(parts) == 3:
            zygote.start(parts[1], stdin.read(int(parts[2])))
        elif parts[:1] == ["KILL"] and len(parts) == 2:
            zygote.kill(parts[1])
    for pid in list(zygote.running.values()):
        _kill_session(pid)
    return 0


def yield_cpu() -> None:
    """Evaluations are batch work: run them at a lower CPU priority (nice SANDBOX_NICE, inherited by every
    process they start), so the server's event loop and its light sessions are scheduled first when both want
    the CPU. Verdicts do not move: test budgets are CPU time."""
    try:
        os.nice(SANDBOX_NICE - os.nice(0))
    except OSError:
        pass


if __name__ == "__main__":
    yield_cpu()
    if "--serve" in sys.argv[1:]:
        sys.exit(serve())
    if "--warm" in sys.argv[1:]:
        warm_up()
    sys.exit(main())
