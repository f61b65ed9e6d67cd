"""Shared fixtures: a live server subprocess on a free port (local runner) and task helpers."""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """A server subprocess on a free loopback port (local runner). Its output goes to a temporary file, not a
    pipe nobody reads: the access log of a long session would fill a pipe and block the server."""
    port = free_port()
    full_env = {**os.environ, "PORT": str(port), "HOST": "127.0.0.1", "AUTOCODERL_RUNNER": "local", **(env or {})}
    log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop_server
    proc = subprocess.Popen([sys.executable, "-m", "environment.app"], cwd=ROOT, env=full_env,
                            stdout=log, stderr=subprocess.STDOUT)
    proc.log = log  # type: ignore[attr-defined] - read back by stop_server
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {_read_log(proc)[-2000:]}")
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer /health within 60 s")


def _read_log(proc: subprocess.Popen) -> str:
    log = proc.log  # type: ignore[attr-defined]
    log.seek(0)
    return log.read().decode(errors="replace")


def stop_server(proc: subprocess.Popen) -> str:
    """Stop a server from start_server; returns everything it printed."""
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    try:
        return _read_log(proc)
    finally:
        proc.log.close()  # type: ignore[attr-defined]


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """One live server for the session (local runner, 128-session cap)."""
    proc, url = start_server({"MAX_CONCURRENT_ENVS": "128"})
    yield url
    log = stop_server(proc)
    assert "Traceback" not in log, f"server logged a traceback:\n{log[-3000:]}"


def first_line(proc: subprocess.Popen, timeout: float = 90) -> str:
    """The first line `proc` prints on stdout (a text-mode pipe), waiting at most `timeout` seconds.

    Raises:
        AssertionError: nothing within `timeout`, or the process ended first.
    """
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if selector.select(timeout=0.5):
            return proc.stdout.readline().rstrip("\n")
    proc.kill()
    raise AssertionError(f"no line on stdout within {timeout:.0f} s (exit status {proc.poll()})")


def docker_runner_or_skip(**kwargs):
    """A DockerRunner(**kwargs); skips without an engine or image, and fails instead under CI=true (the Docker
    tests must run in CI)."""
    from sandbox.types import SandboxError

    try:
        from sandbox.docker_runner import DockerRunner

        return DockerRunner(**kwargs)
    except (ImportError, SandboxError) as exc:
        reason = f"Docker sandbox unavailable (engine or image missing): {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI=true the Docker tests must run", pytrace=False)
        pytest.skip(reason)
