"""The Hugging Face Space image, run the way a Space runs it.

scripts/build_space_image.sh builds the image (offline here; an image whose content hash label matches is
reused). The docker SDK starts it as uid 1000 with a read-only root and a tmpfs /tmp, no Docker socket, PORT
from the environment, a Space secret in the environment and a host file bind-mounted that the server's user
may read. The tests talk to it over HTTP and WebSocket like any client:
- /health: the local runner and the isolation the container really allows (Landlock: Docker's default seccomp
  profile forbids the user namespaces bubblewrap needs), with the reason;
- a full episode that the reference fix solves;
- hostile fixes (a host file read, a fork bomb, a process left running) that really run (the server is started
  with AUTOCODERL_FIX_POLICY=runtime-only, so the static policy does not refuse them first): no host file
  content in any answer, the server keeps answering, no process of the fix is left after
  any step, and the episode reward is 0.

Under CI=true a missing Docker engine is a failure, never a skip.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from websockets.sync.client import ClientConnection, connect

from environment.client import AutoCodeEnvClient
from environment.models import ReviewAction

pytestmark = [pytest.mark.docker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
TASK = ROOT / "task_repos" / "logic-bulk-discount"
SOURCE = "shop/pricing.py"
PORT = 7861
"""Not the image's default (8000): the server must take PORT from the environment."""
LABEL = "autocoderl.test.space-image"
SECRET_PATH = "/data/space-secret.txt"
BUILD_TIMEOUT_S = 1200
START_TIMEOUT_S = 180
SETTLE_S = 2.0
"""How long after a step a SIGKILLed process of the fix may take to disappear (it is reaped by tini)."""

LIST_PROCESSES = """
import json, os
seen = {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\\0", b" ").decode(errors="replace").strip()
        status = {l.split(":")[0]: l.split()[1] for l in open(f"/proc/{pid}/status") if l.startswith(("State", "PPid"))}
    except (OSError, IndexError):
        continue
    if int(pid) != os.getpid():
        seen[pid] = f"{status['State']} {cmd} (ppid {status['PPid']})"
print(json.dumps(seen))
"""

READ_PATHS = (SECRET_PATH, "/etc/passwd", "/proc/1/environ",
              "/app/task_repos/logic-bulk-discount/hidden_tests/test_pricing_tiers.py",
              "/app/task_repos/logic-bulk-discount/solution/shop/pricing.py")
HOST_FILE_READ = """
import json as _json
import pathlib as _pathlib

_posix = getattr(_pathlib, "o" + "s")  # posix itself is refused by the fix policy


def _read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return "read:" + handle.read(2000)
    except OSError as exc:
        return f"denied:{type(exc).__name__}"


_seen = {path: _read(path) for path in READ_PATHS}
_seen["environ"] = dict(_posix.environ)
raise RuntimeError("EVIDENCE " + _json.dumps(_seen))
""".replace("READ_PATHS", repr(READ_PATHS))

FORK_BOMB = """
import pathlib as _pathlib

_posix = getattr(_pathlib, "o" + "s")  # posix itself is refused by the fix policy
import time as _time

_fork = getattr(_posix, "fo" + "rk")


def _bomb():
    forked = 0
    while forked < 100000:
        try:
            pid = _fork()
        except OSError as exc:
            return forked, type(exc).__name__
        if pid == 0:  # every child forks on and never returns to pytest
            while True:
                try:
                    _fork()
                except OSError:
                    _time.sleep(0.05)
        forked += 1
    return forked, "nothing"


raise RuntimeError("EVIDENCE forked=%d stopped_by=%s" % _bomb())
"""

PROCESS_LEFT_RUNNING = """
import pathlib as _pathlib

_posix = getattr(_pathlib, "o" + "s")  # posix itself is refused by the fix policy
import time as _time

_fork = getattr(_posix, "fo" + "rk")
_detach = getattr(_posix, "set" + "sid")
_leave = getattr(_posix, "_ex" + "it")


def _daemon():
    read_end, write_end = _posix.pipe()
    child = _fork()
    if child == 0:  # the classic daemon: new session, double fork, stdio on /dev/null, other fds closed
        _detach()
        if _fork() == 0:
            null = _posix.open("/dev/null", _posix.O_RDWR)
            for fd in (0, 1, 2):
                _posix.dup2(null, fd)
            _posix.write(write_end, str(_posix.getpid()).encode())
            _posix.closerange(3, 4096)
            _time.sleep(3600)
        _leave(0)
    _posix.waitpid(child, 0)
    _posix.close(write_end)
    return _posix.read(read_end, 32).decode()


raise RuntimeError("EVIDENCE daemon=" + _daemon())
"""


@dataclass
class Space:
    """A running Space container and what the tests planted in it."""

    container: Any
    url: str
    secrets: tuple[str, ...]
    health: dict[str, Any]
    server_pids: frozenset[str]


def _docker_client() -> Any:
    from sandbox.image import docker_client
    from sandbox.types import SandboxError

    try:
        return docker_client()
    except SandboxError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exc}; under CI=true the Space image test must run", pytrace=False)
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def client() -> Any:
    return _docker_client()


@pytest.fixture(scope="module")
def space_image(client: Any) -> str:
    """Build (or reuse) the image with the project's script; its tag carries the content hash it is labelled with."""
    proc = subprocess.run(["bash", "scripts/build_space_image.sh"], cwd=ROOT, capture_output=True, text=True,
                          timeout=BUILD_TIMEOUT_S, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, f"build_space_image.sh failed:\n{proc.stderr[-4000:]}"
    tag = proc.stdout.strip().splitlines()[-1]
    labels = client.api.inspect_image(tag)["Config"]["Labels"]
    assert tag.startswith("autocoderl-space:") and labels["autocoderl.space.content-hash"] == tag.split(":")[1]
    return tag


def _processes(container: Any) -> dict[str, str]:
    """pid -> 'state cmdline' of every process in the container (zombies included)."""
    code, out = container.exec_run(["/usr/bin/python3.11", "-I", "-c", LIST_PROCESSES], user="0")
    assert code == 0, out.decode(errors="replace")
    return json.loads(out)


def _wait_healthy(container: Any, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        container.reload()
        if container.status == "exited":
            pytest.fail(f"the Space container exited:\n{container.logs().decode(errors='replace')[-4000:]}")
        try:
            answer = httpx.get(f"{url}/health", timeout=2)
            if answer.status_code == 200:
                return answer.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    pytest.fail(f"/health did not answer within {START_TIMEOUT_S} s:\n{container.logs().decode(errors='replace')}")


@pytest.fixture(scope="module")
def space(client: Any, space_image: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Space]:
    """The image started as a Space starts it, plus a host file and a Space secret the fixes must not reach."""
    for old in client.containers.list(all=True, filters={"label": LABEL}):
        old.remove(force=True)
    file_secret, env_secret = f"host-file-{secrets.token_hex(12)}", f"space-env-{secrets.token_hex(12)}"
    host_file = tmp_path_factory.mktemp("space") / "secret.txt"
    host_file.write_text(f"{file_secret}\n")
    host_file.chmod(0o644)
    container = client.containers.run(
        space_image, detach=True, user="1000:1000", read_only=True,
        tmpfs={"/tmp": "rw,nosuid,nodev,size=512m,mode=1777"},
        # runtime-only: the hostile fixes below must reach the sandbox, not be refused by the static policy
        environment={"PORT": str(PORT), "SPACE_SECRET": env_secret, "AUTOCODERL_FIX_POLICY": "runtime-only"},
        ports={f"{PORT}/tcp": ("127.0.0.1", None)},
        volumes={str(host_file): {"bind": SECRET_PATH, "mode": "ro"}},
        healthcheck={"test": ["NONE"]},  # test_health runs the image's own check; a periodic one would show up in ps
        pids_limit=4096, mem_limit="4g",  # a safety net for the shared machine, far above the runner's own limits
        labels={LABEL: "1"})
    try:
        container.reload()
        host_port = container.attrs["NetworkSettings"]["Ports"][f"{PORT}/tcp"][0]["HostPort"]
        url = f"http://127.0.0.1:{host_port}"
        health = _wait_healthy(container, url)
        yield Space(container, url, (file_secret, env_secret), health, frozenset(_processes(container)))
        logs = container.logs().decode(errors="replace")
        assert "Traceback" not in logs, f"the server logged a traceback:\n{logs[-4000:]}"
    finally:
        container.remove(force=True)


def _standing(processes: dict[str, str], server_pids: frozenset[str]) -> set[str]:
    """tini, the server and the server's warm harness (`driver.py --serve`, a child of the server; its own
    children are evaluations and never standing)."""
    return set(server_pids) | {pid for pid, desc in processes.items() if "driver.py --serve" in desc
                               and any(desc.endswith(f"(ppid {server})") for server in server_pids)}


def _leftovers(space: Space) -> dict[str, str]:
    """Processes other than tini, the server and its warm harness, after letting SIGKILLed ones be reaped."""
    deadline = time.monotonic() + SETTLE_S
    while True:
        seen = _processes(space.container)
        standing = _standing(seen, space.server_pids)
        extra = {pid: desc for pid, desc in seen.items() if pid not in standing}
        if not extra or time.monotonic() > deadline:
            return extra
        time.sleep(0.1)


def _reference_episode() -> list[ReviewAction]:
    spec = yaml.safe_load((TASK / "task.yaml").read_text())
    bug = spec["bugs"][0]
    solution = {SOURCE: (TASK / "solution" / SOURCE).read_text()}
    return [ReviewAction(action_type="detect_bug", bug_category=bug["category"], file=bug["file"], line=bug["line"]),
            ReviewAction(action_type="suggest_fix", files=solution, explanation="inclusive tier thresholds"),
            ReviewAction(action_type="apply_fix", files=solution),
            ReviewAction(action_type="predict_severity", severity=bug["severity"]),
            ReviewAction(action_type="request_changes")]


def test_health_reports_the_local_runner_and_the_isolation_it_really_got(space: Space) -> None:
    health = space.health
    assert health["status"] == "healthy" and health["tasks"] > 0 and health["fix_policy"] == "runtime-only"
    assert health["runner"] == "local", "no Docker socket inside: the local runner serves"
    assert health["isolation"] == "landlock"
    assert health["isolation_note"].startswith("bubblewrap failed") and "namespace" in health["isolation_note"]
    debian = space.container.exec_run(["/usr/bin/python3.11", "-c", "import sys; print(sys.version)"], user="1000")
    assert health["python"] == debian.output.decode().strip(), "code under test runs on Debian's python3.11"
    assert health["base_environment"]["kind"] == "venv", "the base venv was built into the image"
    assert {desc.split(" ", 1)[1].rsplit(" (ppid", 1)[0] for desc in _processes(space.container).values()} == {
        "/usr/bin/tini -- python -m environment.app", "python -m environment.app"}
    image_check = space.container.image.attrs["Config"]["Healthcheck"]["Test"]  # the run turned the periodic one off
    assert image_check[0] == "CMD-SHELL"
    probe = space.container.exec_run(["/bin/sh", "-c", image_check[1]], user="1000")
    assert probe.exit_code == 0, f"the image's HEALTHCHECK fails on PORT={PORT}: {probe.output!r}"


def test_a_correct_fix_solves_a_full_episode(space: Space) -> None:
    with AutoCodeEnvClient(base_url=space.url).sync() as env:
        result = env.reset(task_id=TASK.name)
        assert result.observation.file_name == SOURCE and result.done is False
        results = [env.step(action) for action in _reference_episode()]
    applied = results[2].observation.execution
    assert applied is not None and applied.kind == "graded" and applied.status == "completed"
    assert (applied.runner, applied.isolation, applied.python) == ("local", "landlock", space.health["python"])
    assert applied.solved and applied.fix_score > 0.9
    assert applied.hidden_total > 0 and applied.hidden_passed == applied.hidden_total
    assert applied.visible_tests and set(applied.visible_tests.values()) == {"passed"}
    final = results[-1]
    assert final.done and final.observation.solved
    assert final.observation.episode_reward >= 0.95
    assert _leftovers(space) == {}


class Episode:
    """One WebSocket session that keeps every raw answer (to search them for leaked host content)."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.answers: list[str] = []

    def send(self, kind: str, data: dict[str, Any]) -> dict[str, Any]:
        self.ws.send(json.dumps({"type": kind, "data": data}))
        self.answers.append(self.ws.recv(timeout=120))
        frame = json.loads(self.answers[-1])
        assert frame["type"] == "observation", frame
        return frame["data"]


def _hostile_fix(payload: str) -> dict[str, str]:
    """The buggy source (the bug stays) with a payload appended that runs when the tests import it."""
    return {SOURCE: (TASK / "repo" / SOURCE).read_text() + payload}


def _evidence(step: dict[str, Any]) -> str:
    """What the payload reported (its exception at import, in the visible run's pytest output)."""
    tail = step["observation"]["execution"]["output_tail"]
    found = re.search(r"RuntimeError: EVIDENCE (.*)", tail)
    assert found, f"the payload did not run (no evidence in the output):\n{tail[-2000:]}"
    return found.group(1)


def _host_markers(space: Space) -> list[str]:
    """Text that only reading the host could give: the planted secrets, /etc/passwd, the hidden tests' names."""
    hidden = re.findall(r"def (test_\w+)", (TASK / "hidden_tests" / "test_pricing_tiers.py").read_text())
    assert hidden
    return [*space.secrets, "root:x:0:0", *hidden]


@pytest.mark.parametrize("attack", ["host_file_read", "fork_bomb", "process_left_running"])
def test_hostile_fix_is_contained(space: Space, attack: str) -> None:
    payload = {"host_file_read": HOST_FILE_READ, "fork_bomb": FORK_BOMB,
               "process_left_running": PROCESS_LEFT_RUNNING}[attack]
    if attack == "host_file_read":  # the server's user can read it: only the sandbox keeps the fix out
        readable = space.container.exec_run(["cat", SECRET_PATH], user="1000").output.decode()
        assert space.secrets[0] in readable
    fix = _hostile_fix(payload)
    with connect(space.url.replace("http://", "ws://") + "/ws", max_size=None) as ws:
        episode = Episode(ws)
        episode.send("reset", {"task_id": TASK.name})
        ran = episode.send("step", {"action_type": "run_tests", "files": fix})
        after_run = _leftovers(space)
        assert httpx.get(f"{space.url}/health", timeout=10).status_code == 200
        applied = episode.send("step", {"action_type": "apply_fix", "files": fix})
        after_apply = _leftovers(space)
        final = episode.send("step", {"action_type": "request_changes"})

    evidence = _evidence(ran)
    assert ran["observation"]["execution"]["isolation"] == "landlock"
    if attack == "host_file_read":
        seen = json.loads(evidence)
        assert {path: seen[path].split(":")[0] for path in READ_PATHS} == dict.fromkeys(READ_PATHS, "denied")
        assert set(seen["environ"]) <= {"PATH", "HOME", "TMPDIR", "LANG", "TZ", "PYTHONHASHSEED",
                                        "PYTHONDONTWRITEBYTECODE", "PYTEST_DISABLE_PLUGIN_AUTOLOAD", "PYTEST_VERSION"}
    elif attack == "fork_bomb":
        forked = re.fullmatch(r"forked=(\d+) stopped_by=(\w+)", evidence)
        assert forked and forked.group(2) == "BlockingIOError", evidence  # EAGAIN: the process limit held
    else:
        daemon = re.fullmatch(r"daemon=(\d+)", evidence)
        assert daemon, evidence
        assert daemon.group(1) not in after_run

    assert after_run == {} and after_apply == {}, "a process of the fix outlived its step"
    health = httpx.get(f"{space.url}/health", timeout=10)
    assert health.status_code == 200 and health.json()["status"] == "healthy"
    graded = applied["observation"]["execution"]
    assert graded["status"] == "completed" and graded["fix_score"] == 0.0 and graded["solved"] is False
    assert final["done"] is True and final["observation"]["solved"] is False
    assert final["observation"]["episode_reward"] == 0.0
    answers = "\n".join([*episode.answers, health.text])
    leaked = [marker for marker in _host_markers(space) if marker in answers]
    assert leaked == [], f"host content reached an answer: {leaked}"
