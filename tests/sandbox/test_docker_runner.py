"""DockerRunner against a real engine and the real sandbox image (no mocks).

Skipped with a reason when the engine or the image is missing, a failure under CI=true (see
`docker_runner_factory` in conftest.py). After every test no container of this process may be left.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import make_runner
from sandbox.docker_runner import LABEL, OWNER_LABEL, DockerRunner
from sandbox.image import content_hash
from sandbox.types import Isolation, Limits, RunRequest, RunResult, RunStatus, SandboxError

pytestmark = pytest.mark.docker

TASK_DIR = Path(__file__).resolve().parents[2] / "task_repos" / "logic-bulk-discount"
SOURCES = ("shop/__init__.py", "shop/pricing.py")
HIDDEN_FAILS = {"tests/test_pricing_tiers.py::test_threshold_ten_gets_first_tier",
                "tests/test_pricing_tiers.py::test_threshold_fifty_gets_top_tier",
                "tests/test_pricing_tiers.py::test_line_total_at_threshold"}


def task_files(*, fixed: bool = False) -> dict[str, bytes]:
    files = {p.relative_to(TASK_DIR / "repo").as_posix(): p.read_bytes()
             for p in sorted((TASK_DIR / "repo").rglob("*")) if p.is_file()}
    for path in sorted((TASK_DIR / "hidden_tests").glob("*.py")):
        files[f"tests/{path.name}"] = path.read_bytes()
    if fixed:
        files["shop/pricing.py"] = (TASK_DIR / "solution" / "shop" / "pricing.py").read_bytes()
    return files


def probe_request(test_body: str, *, limits: Limits | None = None) -> RunRequest:
    """A one-module repo whose single test runs `test_body` (indented by the caller's 4 spaces)."""
    files = {"probe.py": b"VALUE = 1\n",
             "tests/test_probe.py": f"import errno, os, socket, sys\n\n\ndef test_probe(capfd):\n{test_body}".encode()}
    return RunRequest(files=files, source_files=("probe.py",), limits=limits or Limits(wall_s=20), run_tools=False)


def outcomes(result: RunResult) -> dict[str, str]:
    assert result.report is not None, result.to_dict()
    return result.report["pytest"]["result"]["outcomes"]


def our_containers() -> list[str]:
    import docker

    client = docker.from_env(version="auto")
    owner = f"{socket.gethostname()}:{os.getpid()}"
    return [c.id for c in client.containers.list(all=True, filters={"label": f"{OWNER_LABEL}={owner}"})]


@pytest.fixture
def pooled(docker_runner_factory) -> Iterator[DockerRunner]:
    """The production shape: a runner with a warm pool of two; closed (and checked empty) after the test."""
    runner = docker_runner_factory(pool_size=2)
    yield runner
    runner.close()


@pytest.fixture(autouse=True)
def no_containers_left(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if not {"pooled", "docker_runner"} & set(request.fixturenames):
        return
    deadline = time.monotonic() + 5  # a module-scoped runner's reaper may still be removing the last one
    while our_containers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert our_containers() == [], "sandbox containers of this process were left behind"


# ---------------------------------------------------------------- grading the example task

def test_buggy_repo_fails_three_hidden_tests(pooled: DockerRunner) -> None:
    result = pooled.run(RunRequest(files=task_files(), source_files=SOURCES))
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    assert (result.runner, result.isolation) == ("docker", Isolation.DOCKER)
    if not os.environ.get("AUTOCODERL_SANDBOX_IMAGE"):
        assert result.image == f"autocoderl-sandbox:{content_hash()}"
    seen = outcomes(result)
    assert {t for t, o in seen.items() if o != "passed"} == HIDDEN_FAILS, seen
    assert len(seen) == 9
    assert result.report["bandit"]["ok"] and result.report["ruff"]["ok"], result.report
    assert result.report["pytest"]["result"]["coverage"]["shop/pricing.py"]["statements"] > 0


def test_reference_fix_passes_everything(pooled: DockerRunner) -> None:
    result = pooled.run(RunRequest(files=task_files(fixed=True), source_files=SOURCES))
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    seen = outcomes(result)
    assert len(seen) == 9 and set(seen.values()) == {"passed"}, seen


def test_every_evaluation_gets_a_fresh_container(pooled: DockerRunner) -> None:
    """Three runs: three different containers, each with an empty /work (nothing carries over)."""
    body = ('    open("/work/marker", "x").close()\n'
            '    raise AssertionError("HOST=" + socket.gethostname() + "=")\n')
    hosts = set()
    for _ in range(3):
        result = pooled.run(probe_request(body))
        assert result.status is RunStatus.COMPLETED, result.to_dict()
        tail = result.report["pytest"]["output_tail"]
        assert "FileExistsError" not in tail, tail
        hosts.update(re.findall(r"HOST=([0-9a-f]{12})=", tail))
    assert len(hosts) == 3, hosts


def test_concurrent_runs_are_independent(pooled: DockerRunner) -> None:
    requests = [RunRequest(files=task_files(fixed=i % 2 == 1), source_files=SOURCES) for i in range(4)]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(pooled.run, requests))
    for i, result in enumerate(results):
        assert result.status is RunStatus.COMPLETED, result.to_dict()
        failing = {t for t, o in outcomes(result).items() if o != "passed"}
        assert failing == (set() if i % 2 else HIDDEN_FAILS)


# ---------------------------------------------------------------- hostile code

def test_infinite_loop_times_out_quickly(pooled: DockerRunner) -> None:
    result = pooled.run(probe_request("    while True:\n        pass\n", limits=Limits(wall_s=3)))
    assert result.status is RunStatus.TIMEOUT, result.to_dict()
    assert result.duration_s < 3 + 2, result.duration_s


def test_host_deadline_holds_when_the_harness_hangs(pooled: DockerRunner) -> None:
    """The evaluated code stops the driver (SIGSTOP to every process it can reach): only the host clock is left."""
    body = ('    import signal\n'
            '    for pid in [int(p) for p in os.listdir("/proc") if p.isdigit()]:\n'
            '        if pid != os.getpid():\n'
            '            try:\n'
            '                os.kill(pid, signal.SIGSTOP)\n'
            '            except OSError:\n'
            '                pass\n'
            '    while True:\n'
            '        pass\n')
    result = pooled.run(probe_request(body, limits=Limits(wall_s=3)))
    assert result.status is RunStatus.TIMEOUT, result.to_dict()
    assert result.duration_s < 3 + 2, result.duration_s


def test_memory_bomb_is_oom(pooled: DockerRunner) -> None:
    body = "    hog = []\n    while True:\n        hog.append(b'x' * (16 << 20))\n"
    result = pooled.run(probe_request(body, limits=Limits(wall_s=20, memory_mb=256)))
    assert result.status is RunStatus.OOM, result.to_dict()


@pytest.mark.parametrize("target", ["driver-pipe", "container-stdout"])
def test_100mb_of_stdout_is_capped(pooled: DockerRunner, target: str) -> None:
    """100 MB to the test's real stdout (the driver's capped pipe) or straight to the container's stdout.

    The container's stdout is reached through /proc/1/fd/1 or the driver's fd 1 when the harness lets
    it; then the host's capped read stops it. When both are denied the run completes, and is still capped.
    """
    if target == "container-stdout":
        body = ('    opened = []\n'
                '    for path in ("/proc/1/fd/1", f"/proc/{os.getppid()}/fd/1"):\n'
                '        try:\n'
                '            fd = os.open(path, os.O_WRONLY)\n'
                '        except OSError:\n'
                '            continue\n'
                '        opened.append(path)\n'
                '        for _ in range(100):\n'
                '            os.write(fd, b"A" * (1 << 20))\n'
                '    if not opened:\n'
                '        raise PermissionError("the container stdout is out of reach")\n')
    else:  # with capture disabled, fd 1 is the pytest process's own stdout: the driver's pipe
        body = '    with capfd.disabled():\n        for _ in range(100):\n            os.write(1, b"A" * (1 << 20))\n'
    started = time.monotonic()
    result = pooled.run(probe_request(body, limits=Limits(wall_s=20, output_bytes=256 << 10)))
    assert time.monotonic() - started < 15
    assert len(result.output_tail) <= 2000
    if target == "driver-pipe" or result.status is not RunStatus.COMPLETED:
        assert result.status is RunStatus.OUTPUT_LIMIT, result.to_dict()
    else:
        assert "PermissionError" in result.report["pytest"]["output_tail"], result.report["pytest"]
        assert len(result.report["pytest"]["output_tail"]) <= 4000


def test_disk_fill_hits_the_tmpfs_cap(pooled: DockerRunner) -> None:
    """Filling /work, TMPDIR and /tmp stops at their size caps with ENOSPC; the run still ends with a typed result."""
    body = ('    block = b"\\0" * (1 << 20)\n'
            '    for where in (".", os.environ["TMPDIR"], "/tmp"):\n'
            '        written = 0\n'
            '        try:\n'
            '            for i in range(1000):\n'
            '                with open(os.path.join(where, f"fill-{i}"), "wb") as fh:\n'
            '                    for _ in range(4):\n'
            '                        fh.write(block)\n'
            '                        written += 1\n'
            '        except OSError as exc:\n'
            '            assert exc.errno in (errno.ENOSPC, errno.EFBIG), exc\n'
            '        assert written <= 72, (where, written)\n')
    result = pooled.run(probe_request(body, limits=Limits(wall_s=20, disk_mb=64)))
    assert result.status in (RunStatus.COMPLETED, RunStatus.DISK_FULL), result.to_dict()
    if result.status is RunStatus.COMPLETED:
        assert outcomes(result) == {"tests/test_probe.py::test_probe": "passed"}, result.report["pytest"]


def _host_addresses() -> set[str]:
    import docker

    addresses = {"127.0.0.1", "172.17.0.1"}
    try:
        addresses.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    for config in docker.from_env(version="auto").api.inspect_network("bridge")["IPAM"]["Config"] or []:
        if config.get("Gateway"):
            addresses.add(config["Gateway"])
    return addresses


def test_network_reaches_no_listener_on_the_host(pooled: DockerRunner) -> None:
    received: list[str] = []
    tcp = socket.create_server(("0.0.0.0", 0))
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("0.0.0.0", tcp.getsockname()[1]))
    port = tcp.getsockname()[1]
    stop = threading.Event()

    def listen() -> None:
        tcp.settimeout(0.2)
        udp.settimeout(0.2)
        while not stop.is_set():
            for fn in (tcp.accept, lambda: udp.recvfrom(4096)):
                try:
                    received.append(repr(fn()))
                except (TimeoutError, OSError):
                    pass

    thread = threading.Thread(target=listen, daemon=True)
    thread.start()
    body = (f'    reached = []\n'
            f'    for addr in {sorted(_host_addresses())!r}:\n'
            f'        try:\n'
            f'            socket.create_connection((addr, {port}), timeout=2).sendall(b"exfiltrated")\n'
            f'            reached.append(addr)\n'
            f'        except OSError:\n'
            f'            pass\n'
            f'        try:\n'
            f'            socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"exfiltrated", (addr, {port}))\n'
            f'        except OSError:\n'
            f'            pass\n'
            f'    assert reached == []\n')
    try:
        result = pooled.run(probe_request(body))
        time.sleep(0.5)
    finally:
        stop.set()
        thread.join()
        tcp.close()
        udp.close()
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    assert outcomes(result) == {"tests/test_probe.py::test_probe": "passed"}, result.report["pytest"]
    assert received == []


# ---------------------------------------------------------------- engine and housekeeping

def test_missing_image_raises_sandbox_error(docker_runner: DockerRunner) -> None:
    with pytest.raises(SandboxError, match="missing"):
        DockerRunner(image="autocoderl-sandbox:no-such-hash", pool_size=0)


def test_no_engine_raises_and_auto_falls_back(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    with pytest.raises(SandboxError, match="does not answer"):
        DockerRunner()
    with pytest.raises(SandboxError):
        make_runner("docker")
    assert make_runner("auto").name == "local"


def test_startup_sweeps_containers_of_dead_owners(docker_runner: DockerRunner) -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    api = docker_runner.api
    stale = api.create_container(docker_runner.image, command=["true"],
                                 labels={LABEL: "1", OWNER_LABEL: f"{socket.gethostname()}:{dead.pid}"})["Id"]
    try:
        DockerRunner(pool_size=0).close()
        assert not api.containers(all=True, filters={"id": stale})
    finally:
        if api.containers(all=True, filters={"id": stale}):
            api.remove_container(stale, force=True)


def test_content_hash_tracks_every_input(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The image tag changes with the Dockerfile, any harness file and the pins; nothing else moves it."""
    import shutil

    import sandbox.image as image

    harness = tmp_path / "harness"
    shutil.copytree(image.HARNESS_DIR, harness, ignore=shutil.ignore_patterns("__pycache__"))
    dockerfile, requirements = tmp_path / "Dockerfile.sandbox", tmp_path / "image-requirements.txt"
    shutil.copy(image.DOCKERFILE, dockerfile)
    shutil.copy(image.REQUIREMENTS, requirements)
    monkeypatch.setattr(image, "HARNESS_DIR", harness)
    monkeypatch.setattr(image, "DOCKERFILE", dockerfile)
    monkeypatch.setattr(image, "REQUIREMENTS", requirements)
    monkeypatch.delenv("AUTOCODERL_SANDBOX_IMAGE", raising=False)
    seen = {image.content_hash()}
    (harness / "notes.txt").write_text("not part of the image")
    assert image.content_hash() in seen
    for path in (harness / "driver.py", dockerfile, requirements):
        path.write_bytes(path.read_bytes() + b"\n# changed\n")
        seen.add(image.content_hash())
    assert len(seen) == 4
    assert image.image_tag() == f"autocoderl-sandbox:{image.content_hash()}"


def test_derived_images_get_their_own_pool_that_idles_away(pooled: DockerRunner, monkeypatch) -> None:
    """A derived image (task requirements) in use gets a small pool of its own, every container still used
    once (as the base pool's); after DERIVED_IDLE_S without use its pool is dropped (the base pool stays)."""
    import sandbox.docker_runner as docker_runner
    from sandbox.requirements import RequirementSet

    requirements = ("PyJWT>=2.8,<3",)
    derived = pooled.environments.get(RequirementSet.of(requirements)).id
    assert derived != pooled.image
    for _ in range(3):
        result = pooled.run(dataclasses.replace(probe_request("    import jwt\n"), requirements=requirements))
        assert result.status is RunStatus.COMPLETED and result.image == derived, result.reason
        assert outcomes(result) == {"tests/test_probe.py::test_probe": "passed"}
        deadline = time.monotonic() + 30
        while pooled._pools[derived].qsize() < docker_runner.DERIVED_POOL and time.monotonic() < deadline:
            time.sleep(0.05)
        assert pooled._pools[derived].qsize() == docker_runner.DERIVED_POOL
    monkeypatch.setattr(docker_runner, "DERIVED_IDLE_S", 0.0)
    pooled._wake.set()
    deadline = time.monotonic() + 10
    while pooled._pools[derived].qsize() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert pooled._pools[derived].qsize() == 0 and pooled._pools[pooled.image].qsize() == 2
