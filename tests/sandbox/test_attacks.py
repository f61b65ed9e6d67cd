"""Adversarial "fixes" against every runner (sandbox-hardening.md section 4).

Each test plants an attack in shop/pricing.py of the bulk-discount task (the only file a fix may
edit) or, for grade forging, adds files to the tree as a worst case, and runs it through the runner.
Every run must end within its deadline with a typed status and a reason, give no credit to the
still-buggy code, leak nothing of the host, and leave no process, temp dir or cgroup behind (the
autouse `host_stays_clean` fixture checks the last part after each test).

Payloads that probe the host report what they saw by raising `RuntimeError("EVIDENCE {json}")` at
import: the record then carries it as a collection error, which proves the attack really ran.
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sandbox.cgroup import CgroupLimiter
from sandbox.tarball import build_tar
from sandbox.types import Limits, RunRequest, RunResult, RunStatus

EXPECTED = {f"tests/test_pricing.py::{name}" for name in (
    "test_no_discount_for_small_orders", "test_large_order_gets_top_tier", "test_negative_quantity_rejected",
    "test_line_total_rounds_to_cents", "test_cart_total_sums_lines")} | {
    f"tests/test_pricing_tiers.py::{name}" for name in (
        "test_threshold_ten_gets_first_tier", "test_threshold_fifty_gets_top_tier",
        "test_just_below_threshold_has_no_discount", "test_line_total_at_threshold")}
BUGGY_FAILS = {"tests/test_pricing_tiers.py::test_threshold_ten_gets_first_tier",
               "tests/test_pricing_tiers.py::test_threshold_fifty_gets_top_tier",
               "tests/test_pricing_tiers.py::test_line_total_at_threshold"}
CANARY_FILE = "tests/test_zz_canary.py"
MUST_FAIL, MUST_PASS = f"{CANARY_FILE}::test_canary_must_fail", f"{CANARY_FILE}::test_canary_must_pass"
CANARIES = {CANARY_FILE: b"def test_canary_must_fail():\n    assert False\n\n\ndef test_canary_must_pass():\n"
                         b"    assert True\n"}
LIMITS = Limits(wall_s=8.0, cpu_s=8, memory_mb=384, pids=64, file_mb=8, disk_mb=32, output_bytes=512 << 10)
SHORT = Limits(wall_s=3.0, cpu_s=8, memory_mb=384, pids=64, file_mb=8, disk_mb=32, output_bytes=512 << 10)
SLACK_S = 3.0
"""How far past its wall-clock limit a run may return (killing, reaping, cgroup removal, a loaded host)."""
SECRET_NAME = "AUTOCODERL_TEST_SECRET"
PRELUDE = '''

# ---- attack payload ----
import json as _json
import os as _os


def _try(fn):
    try:
        return "ok:" + str(fn())[:300]
    except BaseException as exc:  # noqa: BLE001
        return f"denied:{type(exc).__name__}:{exc}"[:160]


def _evidence(**seen):
    raise RuntimeError("EVIDENCE " + _json.dumps(seen))
'''


# ---------------------------------------------------------------- helpers and fixtures

Attack = Callable[..., RunResult]


@pytest.fixture
def attack(request: pytest.FixtureRequest, runner, task_tree) -> Attack:
    """`attack(payload, *, extra=None, limits=LIMITS, run_tools=False, forged=False)` runs the buggy task with
    `payload` appended to shop/pricing.py and `extra` files added, and checks the common invariants.

    `forged=True` (in-process grade forging) skips the no-credit check: the test asserts instead
    how the record gives the forgery away.
    """
    def run(payload: str, *, extra: dict[str, bytes] | None = None, limits: Limits = LIMITS,
            run_tools: bool = False, forged: bool = False) -> RunResult:
        files = dict(task_tree)
        files["shop/pricing.py"] += (PRELUDE + payload).encode()
        files.update(extra or {})
        result = runner.run(RunRequest(files=files, source_files=("shop/pricing.py",), limits=limits,
                                       run_tools=run_tools, label="attack"))
        check_contained(result, limits, forged=forged)
        request.node.user_properties.append(("status", f"{result.status.value}: {result.reason}"))
        return result

    return run


def check_contained(result: RunResult, limits: Limits, *, forged: bool = False) -> None:
    """The invariants of every attack run: typed, on time, explained, and no credit for the buggy code."""
    assert isinstance(result.status, RunStatus)
    assert result.duration_s <= limits.wall_s + SLACK_S, result.to_dict()
    if result.status is not RunStatus.COMPLETED:
        assert result.reason, result.to_dict()
    elif not forged:
        outcomes = pytest_record(result).get("outcomes", {})
        assert not all(outcomes.get(test) == "passed" for test in BUGGY_FAILS), "buggy code got full credit"


def pytest_record(result: RunResult) -> dict:
    return ((result.report or {}).get("pytest") or {}).get("result") or {}


def evidence(result: RunResult) -> dict:
    """What the payload reported seeing (it must have run: no evidence fails the test)."""
    record = pytest_record(result)
    texts = [e["message"] for e in record.get("collect_errors", [])]
    texts.append(((result.report or {}).get("pytest") or {}).get("output_tail", ""))
    for text in texts:
        if match := re.search(r"EVIDENCE (\{.*\})", text):
            return json.loads(match.group(1))
    raise AssertionError(f"the payload left no evidence: {result.to_dict()}")


def honest(result: RunResult) -> dict[str, str]:
    """The record is complete and honest: every expected test is there and the buggy ones failed."""
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    outcomes = pytest_record(result)["outcomes"]
    assert set(outcomes) >= EXPECTED, sorted(EXPECTED - set(outcomes))
    assert {test: outcomes[test] for test in BUGGY_FAILS} == dict.fromkeys(BUGGY_FAILS, "failed")
    return outcomes


def leaked(result: RunResult, *secrets_: str) -> list[str]:
    text = json.dumps(result.to_dict())
    return [s for s in secrets_ if s in text]


def processes(pattern: re.Pattern[str]) -> dict[int, str]:
    """Live (non-zombie) processes anywhere on the host whose command line matches."""
    return {pid: cmd for pid, (_, cmd) in _process_table().items() if pattern.search(cmd)}


def descendants(root: int) -> dict[int, str]:
    """Live processes below `root` (orphans of our runs land here: the test process is a subreaper)."""
    table = _process_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = {}, list(children.get(root, []))
    while todo:
        pid = todo.pop()
        if table[pid][1]:
            found[pid] = table[pid][1]
        todo += children.get(pid, [])
    return found


def _process_table() -> dict[int, tuple[int, str]]:
    """pid -> (ppid, command line); zombies and kernel threads have an empty command line."""
    table = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            ppid = int(Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = Path(entry.path, "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue
        table[int(entry.name)] = (ppid, cmdline[:200])
    return table


def _reap_orphans() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _watch_creations(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Record the autocoderl-* temp dirs and the cgroups the runners create during this test (only ours:
    other sandboxes may run on the host meanwhile)."""
    created: dict[str, list[str]] = {"temp dirs": [], "cgroups": []}
    mkdtemp, create = tempfile.mkdtemp, CgroupLimiter.create.__func__

    def spy_mkdtemp(*args, **kwargs):
        path = mkdtemp(*args, **kwargs)
        if Path(path).name.startswith("autocoderl-"):
            created["temp dirs"].append(path)
        return path

    def spy_create(cls, *args, **kwargs):
        limiter = create(cls, *args, **kwargs)
        created["cgroups"] += [str(d) for d in limiter.dirs.values()] if limiter else []
        return limiter

    monkeypatch.setattr(tempfile, "mkdtemp", spy_mkdtemp)
    monkeypatch.setattr(CgroupLimiter, "create", classmethod(spy_create))
    return created


def _containers(runner) -> list[str]:
    """Docker containers this test process owns (labelled by the Docker runner); [] for other runners."""
    if getattr(runner, "name", "") != "docker":
        return []
    import docker

    from sandbox.docker_runner import OWNER_LABEL

    client = docker.from_env(version="auto")
    owner = f"{socket.gethostname()}:{os.getpid()}"
    return [c["Id"][:12] for c in client.api.containers(all=True, filters={"label": f"{OWNER_LABEL}={owner}"})]


@pytest.fixture(scope="module", autouse=True)
def subreaper() -> Iterator[None]:
    """Make this test process the subreaper of everything it starts while this module runs: an escaped daemon
    is reparented here, so `descendants()` finds it (in production it would silently go to init). Afterwards it
    is no subreaper: every bwrap leaves an orphan when it exits, which would pile up here as a zombie."""
    import ctypes

    libc = ctypes.CDLL(None)
    libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    yield
    libc.prctl(36, 0, 0, 0, 0)
    _reap_orphans()


@pytest.fixture(scope="module")
def sentinel() -> Iterator[tuple[subprocess.Popen, str]]:
    """A stand-in for the env server: holds a secret in its environment, non-dumpable like the real one."""
    secret = secrets.token_hex(16)
    code = "import ctypes, time; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); time.sleep(3600)"
    proc = subprocess.Popen([sys.executable, "-c", code], env={**os.environ, SECRET_NAME: secret})
    yield proc, secret
    proc.kill()
    proc.wait()


@pytest.fixture
def marker() -> str:
    """A unique string the payload puts into the argv of every process it starts."""
    return f"autocoderl-attack-{secrets.token_hex(6)}"


@pytest.fixture(autouse=True)
def host_stays_clean(request: pytest.FixtureRequest, monkeypatch, sentinel, marker) -> Iterator[dict]:
    """After each attack: the server stand-in lives, and no process, temp dir, cgroup or container is left.

    Only what this test process started counts (other sandboxes may run on the host meanwhile):
    its descendants, anything carrying the test's marker, the temp dirs and cgroups its runs made.
    """
    created = _watch_creations(monkeypatch)
    existing = set(descendants(os.getpid()))  # e.g. the session's live server: not this test's doing
    yield created
    assert sentinel[0].poll() is None, "the server stand-in was killed"
    runner = request.getfixturevalue("runner") if "runner" in request.fixturenames else None
    mine = re.compile(re.escape(marker))
    deadline = time.monotonic() + 2.0
    while True:
        _reap_orphans()
        procs = {**processes(mine), **descendants(os.getpid())}
        procs.pop(sentinel[0].pid, None)
        standing = runner.standing_pids() if hasattr(runner, "standing_pids") else set()  # the warm harness
        kept = set(runner.standing_paths()) if hasattr(runner, "standing_paths") else set()
        procs = {pid: cmd for pid, cmd in procs.items() if pid not in existing | standing}
        left = {"processes": procs, "containers": _containers(runner),
                **{kind: [p for p in paths if os.path.exists(p) and p not in kept] for kind, paths in created.items()}}
        if not any(left.values()) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for pid in left["processes"]:  # ours (descendant or marked): never leak into the next test
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    _reap_orphans()
    assert not any(left.values()), f"left behind: {left}"


# ---------------------------------------------------------------- control

def test_reference_fix_passes(runner, task_tree, reference_fix) -> None:
    """Control: the reference solution passes every expected test (each attack below keeps the bug)."""
    files = {**task_tree, "shop/pricing.py": reference_fix}
    result = runner.run(RunRequest(files=files, source_files=("shop/pricing.py",), limits=LIMITS, run_tools=False))
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    assert pytest_record(result)["outcomes"] == dict.fromkeys(EXPECTED, "passed")


# ---------------------------------------------------------------- reading the host

def test_read_canary_outside_workdir(attack, tmp_path) -> None:
    """Attack: read a host file outside the work dir (a planted canary, /etc/shadow)."""
    canary = f"canary-{secrets.token_hex(16)}"
    path = tmp_path / "canary.txt"
    path.write_text(canary)
    path.chmod(0o644)
    result = attack(f"_evidence(canary=_try(lambda: open({str(path)!r}).read()),\n"
                                f"          listing=_try(lambda: _os.listdir({str(tmp_path)!r})),\n"
                                f"          shadow=_try(lambda: open('/etc/shadow').read()))\n")
    seen = evidence(result)
    assert not leaked(result, canary), seen
    assert seen["canary"].startswith("denied") and seen["shadow"].startswith("denied"), seen


def test_read_server_environ_via_proc(attack, sentinel, monkeypatch) -> None:
    """Attack: read secrets from the server's environment (own env, /proc/<server>/environ, a /proc scan)."""
    own_secret = secrets.token_hex(16)
    monkeypatch.setenv(SECRET_NAME, own_secret)
    payload = f'''
def _scan():
    found = []
    for pid in _os.listdir("/proc"):
        if pid.isdigit():
            try:
                env = open(f"/proc/{{pid}}/environ", "rb").read().decode("latin-1")
            except OSError:
                continue
            found += [kv for kv in env.split("\\0") if kv.startswith({SECRET_NAME!r})]
    return found


_evidence(own=str({{k: v for k, v in _os.environ.items() if k.startswith({SECRET_NAME!r})}}),
          server=_try(lambda: open("/proc/{os.getpid()}/environ", "rb").read()),
          sentinel=_try(lambda: open("/proc/{sentinel[0].pid}/environ", "rb").read()),
          scan=_try(_scan))
'''
    result = attack(payload)
    seen = evidence(result)
    assert not leaked(result, own_secret, sentinel[1]), seen
    assert seen["own"] == "{}", seen
    assert not seen["server"].startswith("ok") and not seen["sentinel"].startswith("ok"), seen


def test_host_devices_and_privileges(attack) -> None:
    """Attack: open host devices (terminal, console, kernel log, raw root disk) and use root's privileges
    (set the host name, raise a hard rlimit): a root server's Landlock child must have no capabilities."""
    disk = next((line.split()[0] for line in Path("/proc/mounts").read_text().splitlines()
                 if line.split()[1] == "/" and line.startswith("/dev/")), "/dev/sda")
    payload = f'''
def _open(path, flags):
    _os.close(_os.open(path, flags))
    return "opened"


def _raise_nofile():
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard + 1))


def _rename_host():  # to the name it already has: harmless even if it succeeds
    import socket
    socket.sethostname(socket.gethostname())


_evidence(tty=_try(lambda: _open("/dev/tty", _os.O_WRONLY)),
          console=_try(lambda: _open("/dev/console", _os.O_WRONLY)),
          kmsg=_try(lambda: _open("/dev/kmsg", _os.O_WRONLY)),
          disk=_try(lambda: _open({disk!r}, _os.O_RDONLY)),
          rlimit=_try(_raise_nofile),
          hostname=_try(_rename_host))
'''
    seen = evidence(attack(payload))
    for name in ("tty", "console", "kmsg", "disk", "rlimit", "hostname"):
        assert seen[name].startswith("denied"), seen


# ---------------------------------------------------------------- network

def test_network_exfiltration_to_host(attack) -> None:
    """Attack: open a TCP connection to, and send UDP datagrams to, listeners on the host's loopback.

    (Landlock alone denies TCP connect but not UDP: the Landlock tier adds a seccomp socket filter.)
    """
    with socket.create_server(("127.0.0.1", 0)) as listener, \
            socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as receiver:
        receiver.bind(("127.0.0.1", 0))
        payload = f'''
import socket as _socket


def _connect():
    with _socket.create_connection(("127.0.0.1", {listener.getsockname()[1]}), timeout=2) as conn:
        conn.sendall(b"exfiltrated")
    return "connected"


def _send():
    with _socket.socket(_socket.AF_INET, _socket.SOCK_DGRAM) as sock:
        for _ in range(20):
            sock.sendto(b"exfiltrated", ("127.0.0.1", {receiver.getsockname()[1]}))
    return "sent"


_evidence(tcp=_try(_connect), udp=_try(_send))
'''
        seen = evidence(attack(payload))
        listener.setblocking(False)
        receiver.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()
        with pytest.raises(BlockingIOError):
            receiver.recvfrom(4096)
    assert seen["tcp"].startswith("denied"), seen


# ---------------------------------------------------------------- resources and time

def test_fork_bomb(attack, marker) -> None:
    """Attack: a fork bomb, both in the test process and in a fresh interpreter."""
    payload = f'''
import subprocess as _subprocess
import sys as _sys
import time as _time

_BOMB = ("import os, time\\nwhile True:\\n    try:\\n        os.fork()\\n"
         "    except OSError:\\n        time.sleep(0.01)\\n")
_subprocess.Popen([_sys.executable, "-c", _BOMB, {marker!r}])
while True:
    try:
        _os.fork()
    except OSError:
        _time.sleep(0.01)
'''
    result = attack(payload, limits=SHORT)
    assert result.status in (RunStatus.TIMEOUT, RunStatus.CRASHED), result.to_dict()


def test_memory_bomb(attack) -> None:
    """Attack: allocate memory until something gives."""
    result = attack("_hog = []\nwhile True:\n    _hog.append(b'x' * (16 << 20))\n",
                        limits=Limits(wall_s=8.0, memory_mb=256, pids=64, disk_mb=32, output_bytes=512 << 10))
    if result.status is RunStatus.COMPLETED:  # no memory cgroup: RLIMIT_AS turned it into a MemoryError
        assert "MemoryError" in json.dumps(pytest_record(result)), result.to_dict()
    else:
        assert result.status is RunStatus.OOM, result.to_dict()


def test_disk_fill(attack) -> None:
    """Attack: fill the disk through the work dir, TMPDIR, /tmp and /dev/shm."""
    payload = '''
_seen = {}
_block = b"\\0" * (1 << 20)
for _where in (".", _os.environ.get("TMPDIR", "/tmp"), "/tmp", "/dev/shm"):
    try:
        for _i in range(1000):
            with open(_os.path.join(_where, f"fill-{_i}"), "wb") as _fh:
                for _ in range(4):
                    _fh.write(_block)
        _seen[_where] = "wrote 4 GB"
    except OSError as exc:
        _seen[_where] = f"stopped: {exc.strerror}"
_evidence(**_seen)
'''
    result = attack(payload)
    assert result.status is RunStatus.DISK_FULL, result.to_dict()


def test_infinite_loop(attack) -> None:
    """Attack: burn CPU forever at import."""
    result = attack("while True:\n    pass\n", limits=SHORT)
    assert result.status is RunStatus.TIMEOUT, result.to_dict()


def test_sleep_past_deadline(attack) -> None:
    """Attack: sleep far past the deadline (only the host's clock counts)."""
    result = attack("import time as _time\n_time.sleep(3600)\n", limits=SHORT)
    assert result.status is RunStatus.TIMEOUT, result.to_dict()


def test_stdout_flood(attack) -> None:
    """Attack: 100 MB to stdout, through every inherited pipe, /proc/self/fd/1 and /proc/1/fd/1."""
    payload = '''
import stat as _stat
import sys as _sys

_report_fd = _json.loads(_sys.argv[1]).get("report_fd", -1) if len(_sys.argv) > 1 else -1
_fds = []
for _path in ("/proc/self/fd/1", "/proc/1/fd/1"):
    try:
        _fds.append(_os.open(_path, _os.O_WRONLY))
    except OSError:
        pass
for _fd in range(1, 256):
    try:
        if _fd != _report_fd and _stat.S_ISFIFO(_os.fstat(_fd).st_mode):
            _fds.append(_fd)
    except OSError:
        pass
_chunk = b"A" * (1 << 20)
for _ in range(100):
    for _fd in _fds:
        try:
            _os.write(_fd, _chunk)
        except OSError:
            pass
'''
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = attack(payload)
    assert result.status is RunStatus.OUTPUT_LIMIT, result.to_dict()
    assert len(result.output_tail) <= 4000
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 64 << 10, "the host buffered the flood"


# ---------------------------------------------------------------- processes

def test_kill_every_process(attack) -> None:
    """Attack: kill(-1, SIGKILL) at import: everything the sandbox's uid may signal."""
    result = attack("import signal as _signal\n"
                    "_evidence(kill=_try(lambda: _os.kill(-1, _signal.SIGKILL)))\n")
    if (result.report or {}).get("signal_scoped"):
        assert result.status is RunStatus.COMPLETED, result.to_dict()  # the driver was out of reach
        evidence(result)
    else:
        assert result.status in (RunStatus.NO_REPORT, RunStatus.CRASHED, RunStatus.COMPLETED), result.to_dict()


def test_kill_parent(attack) -> None:
    """Attack: kill the harness driver (the test process's parent)."""
    result = attack("import signal as _signal\n"
                                "_evidence(kill=_try(lambda: _os.kill(_os.getppid(), _signal.SIGKILL)))\n")
    if result.status is RunStatus.COMPLETED:
        assert evidence(result)["kill"].startswith("denied"), result.to_dict()
    else:
        assert result.status is RunStatus.NO_REPORT, result.to_dict()


def test_os_exit_at_import(attack) -> None:
    """Attack: os._exit(0) at import, so pytest never reports."""
    result = attack("_os._exit(0)\n")
    assert result.status is RunStatus.CRASHED, result.to_dict()
    assert "without a report" in result.reason


def test_sys_exit_at_import(attack) -> None:
    """Attack: sys.exit(0) at import, hoping a zero exit code counts as success."""
    result = attack("import sys as _sys\n_sys.exit(0)\n")
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    record = pytest_record(result)  # pytest stops with an INTERNALERROR: exit code 3, no test ran
    assert record["exit_code"] != 0 and not set(record["outcomes"]) >= EXPECTED, record


def test_setsid_daemon_outlives_run(attack, marker) -> None:
    """Attack: a double-fork + setsid daemon that keeps the output pipes open and tries to outlive the run."""
    payload = f'''
import subprocess as _subprocess
import sys as _sys

_DAEMON = ("import os, time\\nif os.fork():\\n    os._exit(0)\\nos.setsid()\\n"
           "if os.fork():\\n    os._exit(0)\\ntime.sleep(600)\\n")
_subprocess.Popen([_sys.executable, "-c", _DAEMON, {marker!r}]).wait()
'''
    result = attack(payload)
    honest(result)
    assert result.duration_s < LIMITS.wall_s - 1, "the run waited for the daemon's pipes instead of the exit"


# ---------------------------------------------------------------- the file system

def test_symlink_refused(runner, task_tree, tmp_path, monkeypatch, host_stays_clean) -> None:
    """Attack: a symlink in the tree (pricing.py -> a host file) and unsafe paths; the tar builder refuses them."""
    canary = f"canary-{secrets.token_hex(16)}"
    target = tmp_path / "host-secret.txt"
    target.write_text(canary)
    link = tmp_path / "pricing.py"
    link.symlink_to(target)
    for bad in ({"shop/pricing.py": link}, {"shop/pricing.py": str(target)},
                {"../escape.py": b"x"}, {"/etc/evil.py": b"x"}, {"shop//x.py": b"x"}):
        files = {**task_tree, **bad}
        with pytest.raises(ValueError):
            build_tar(files)
        with pytest.raises(ValueError):
            runner.run(RunRequest(files=files, source_files=("shop/pricing.py",), limits=LIMITS, run_tools=False))
    assert host_stays_clean == {"temp dirs": [], "cgroups": []}, "a refused tree still set up a sandbox"

    def smuggle(files):  # defence in depth: a tar that does carry a symlink reaches the in-sandbox extractor
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w:") as tar:
            for path, data in files.items():
                info = tarfile.TarInfo(path)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            info = tarfile.TarInfo("shop/evil.py")
            info.type, info.linkname = tarfile.SYMTYPE, str(target)
            tar.addfile(info)
        return buf.getvalue()

    module = sys.modules[type(runner).__module__]
    if not hasattr(module, "build_tar"):
        pytest.skip("this runner does not build its tar through a module-level build_tar")
    monkeypatch.setattr(module, "build_tar", smuggle)
    result = runner.run(RunRequest(files=task_tree, source_files=("shop/pricing.py",), limits=LIMITS,
                                   run_tools=False))
    check_contained(result, LIMITS)
    assert result.status is not RunStatus.COMPLETED and "refused" in result.reason, result.to_dict()
    assert not leaked(result, canary)


def test_write_outside_workdir(attack, tmp_path, marker) -> None:
    """Attack: write files outside the work dir: /tmp, /dev/shm, the task's source dir and the project on the host."""
    source_dir = tmp_path / "task-repo" / "shop"
    source_dir.mkdir(parents=True)
    project = Path(__file__).resolve().parents[2]
    targets = [Path(f"/tmp/{marker}"), Path(f"/dev/shm/{marker}"), source_dir / f"{marker}.py",
               project / f"{marker}.txt", project / "task_repos" / "logic-bulk-discount" / "repo" / f"{marker}.py"]
    paths = [str(t) for t in targets]
    payload = f"_evidence(**{{p: _try(lambda p=p: open(p, 'w').write('pwned')) for p in {paths!r}}})\n"
    try:
        seen = evidence(attack(payload))
        assert [str(t) for t in targets if t.exists()] == [], seen
    finally:
        for target in targets:
            target.unlink(missing_ok=True)


# ---------------------------------------------------------------- grade forging

def test_forge_monkeypatch_pytest_reports(attack) -> None:
    """Attack: patch _pytest.reports at import so every test reports "passed".

    In-process forging cannot be stopped by isolation. The record stays detectable: the must-fail
    canary comes back "passed", which graders treat as tampering (plus graders/fix_policy.py refuses
    a fix importing _pytest in the first place).
    """
    payload = '''
import _pytest.reports as _reports

_original = _reports.TestReport.from_item_and_call.__func__


def _forged(cls, item, call):
    report = _original(cls, item, call)
    report.outcome, report.longrepr = "passed", None
    return report


_reports.TestReport.from_item_and_call = classmethod(_forged)
'''
    result = attack(payload, extra=CANARIES, forged=True)
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    outcomes = pytest_record(result)["outcomes"]
    assert outcomes[MUST_FAIL] == "passed", "forgery not visible through the must-fail canary"


def test_forge_conftest_makereport_hook(attack) -> None:
    """Attack: a new conftest.py at the repo root (and in shop/) whose makereport hook turns failures into passes."""
    hook = (b"import pytest\n\n\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
            b"    outcome = yield\n    report = outcome.get_result()\n"
            b"    report.outcome, report.longrepr = 'passed', None\n")
    result = attack("", extra={"conftest.py": hook, "shop/conftest.py": hook, **CANARIES})
    outcomes = honest(result)
    assert outcomes[MUST_FAIL] == "failed" and outcomes[MUST_PASS] == "passed"


INI_DESELECT = {"pytest.ini": b"[pytest]\naddopts = -k 'not threshold' -p no:python\n",
                "setup.cfg": b"[tool:pytest]\naddopts = -k 'not threshold'\n",
                "tox.ini": b"[pytest]\naddopts = -k 'not threshold'\n",
                "pyproject.toml": b"[tool.pytest.ini_options]\naddopts = \"-k 'not threshold'\"\n"}


def test_forge_ini_addopts_deselect(attack) -> None:
    """Attack: pytest.ini, setup.cfg, tox.ini and pyproject.toml whose addopts deselect the failing tests (-k).

    The harness passes its own ini with -c, which switches off ini discovery altogether: all four are ignored.
    """
    outcomes = honest(attack("", extra=INI_DESELECT))
    assert set(outcomes) == EXPECTED


def test_forge_atexit_fake_report(attack) -> None:
    """Attack: an atexit hook that writes a second, all-passed report to the harness's report pipe."""
    payload = '''
import atexit as _atexit
import sys as _sys

_fd = _os.dup(_json.loads(_sys.argv[1])["report_fd"])


def _forge():
    tests = ["tests/test_pricing_tiers.py::test_threshold_ten_gets_first_tier"]
    fake = {"exit_code": 0, "outcomes": dict.fromkeys(tests, "passed"), "collected": tests,
            "collect_errors": [], "coverage": {}, "versions": {}}
    _os.write(_fd, (_json.dumps(fake) + "\\n").encode())


_atexit.register(_forge)
'''
    result = attack(payload)
    if result.status is RunStatus.COMPLETED:  # a forked (warm) test child ends with os._exit: atexit never runs
        assert not result.report["pytest"]["forged"] and result.report.get("warm"), result.to_dict()
    else:
        assert result.status is RunStatus.CRASHED, result.to_dict()
        assert "tampered" in result.reason and result.report["pytest"]["forged"]


def test_forge_report_then_exit(attack) -> None:
    """Attack: write the only report (all passed) at import, then os._exit(0) before pytest can report.

    The report channel carries events signed under a key the forger never sees (it is read from a pipe before
    any repo code runs): an unsigned line marks the channel tampered with, and the run is CRASHED.
    """
    payload = '''
import sys as _sys

_tests = ["tests/test_pricing.py::test_no_discount_for_small_orders",
          "tests/test_pricing_tiers.py::test_threshold_ten_gets_first_tier"]
_fake = {"exit_code": 0, "outcomes": dict.fromkeys(_tests, "passed"), "collected": _tests,
         "collect_errors": [], "coverage": {}, "versions": {}}
_os.write(_json.loads(_sys.argv[1])["report_fd"], (_json.dumps(_fake) + "\\n").encode())
_os._exit(0)
'''
    result = attack(payload, extra=CANARIES, forged=True)
    assert result.status is RunStatus.CRASHED, result.to_dict()
    assert "tampered" in result.reason and result.report["pytest"]["result"] is None


def test_forge_shadow_tool_modules(attack) -> None:
    """Attack: pytest.py, coverage.py, bandit.py, sitecustomize.py at the repo root to hijack the harness tools."""
    shadow = b"raise SystemExit('SHADOW-IMPORTED')\n"
    extra = {name: shadow for name in ("pytest.py", "coverage.py", "bandit.py", "sitecustomize.py",
                                       "usercustomize.py", "_pytest.py", "pluggy.py")}
    result = attack("", extra=extra, run_tools=True)
    honest(result)
    record = pytest_record(result)
    assert record["versions"]["pytest"] == pytest.__version__
    assert result.report["bandit"]["ok"] and result.report["ruff"]["ok"], result.report
    assert "SHADOW-IMPORTED" not in json.dumps(result.to_dict())
