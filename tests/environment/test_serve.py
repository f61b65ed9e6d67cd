"""`autocoderl serve`: one start-up line naming the URL, runner, isolation and task count; requests and errors
logged at the level the user sets (--log-level or AUTOCODERL_LOG_LEVEL)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import websockets.sync.client

from tests.conftest import ROOT, first_line

START_LINE = re.compile(r"AutoCodeRL listening on (http://127\.0\.0\.1:(\d+)) \(runner local, isolation "
                        r"(bwrap|landlock|rlimits), (\d+) tasks\); web tester: http://127\.0\.0\.1:\2/web")


def start(args: list[str], env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """`autocoderl serve ARGS` on a free port; returns the process and its first stdout line."""
    with open(log, "w") as stderr:
        proc = subprocess.Popen([sys.executable, "-m", "environment.cli", "serve", "--host", "127.0.0.1",
                                 "--port", "0", "--runner", "local", *args], cwd=ROOT, text=True,
                                env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=stderr)
    try:
        return proc, first_line(proc)
    except AssertionError as exc:
        raise AssertionError(f"{exc}: {log.read_text()[-2000:]}") from None


def stop(proc: subprocess.Popen) -> str:
    """Ctrl-C the server; returns what else it printed on stdout."""
    proc.send_signal(signal.SIGINT)
    try:
        rest, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        rest, _ = proc.communicate()
    return rest


LEVELS = {
    "debug": (["--log-level", "debug"], {}),
    "info": ([], {}),  # the default
    "warning": ([], {"AUTOCODERL_LOG_LEVEL": "warning"}),
}


@pytest.mark.parametrize("level", list(LEVELS))
def test_serve_says_where_it_listens_and_logs_at_the_chosen_level(level: str, tmp_path: Path) -> None:
    args, env = LEVELS[level]
    log = tmp_path / "stderr.log"
    # a step deadline no sandbox run can meet: each run_tests step is a server-side failure (STEP_TIMEOUT)
    proc, line = start(args, {**env, "AUTOCODERL_STEP_TIMEOUT": "0.001"}, log)
    try:
        found = START_LINE.fullmatch(line)
        assert found, line
        url = found.group(1)
        health = httpx.get(f"{url}/health", timeout=10).json()
        assert (found.group(3), int(found.group(4))) == (health["isolation"], health["tasks"])
        assert httpx.post(f"{url}/step", json={"action": {"action_type": "approve_code"}}).status_code == 409
        with websockets.sync.client.connect(url.replace("http", "ws") + "/ws") as ws:
            ws.send(json.dumps({"type": "reset", "data": {"task_name": "medium", "seed": 1}}))
            assert json.loads(ws.recv())["type"] == "observation"
            ws.send(json.dumps({"type": "step", "data": {"action_type": "detect_bug", "line": "ten"}}))
            assert json.loads(ws.recv())["data"]["code"] == "VALIDATION_ERROR"
            ws.send(json.dumps({"type": "step", "data": {"action_type": "run_tests"}}))
            assert json.loads(ws.recv())["data"]["code"] == "STEP_TIMEOUT"
    finally:
        rest = stop(proc)
    assert rest == "", "the start-up line is the only line on stdout"
    logged = log.read_text()
    assert "Traceback" not in logged and "Uvicorn running" not in logged
    assert ("Started server process" in logged) == (level == "debug"), "uvicorn's chatter only at debug"
    assert re.search(r"WARNING autocoderl\.ws: ws error STEP_TIMEOUT: the step did not finish", logged), logged
    access = ['access: 127.0.0.1:', '"GET /health HTTP/1.1" 200 OK', '"POST /step HTTP/1.1" 409 Conflict',
              '"WebSocket /ws" accepted', "INFO autocoderl.ws: ws error VALIDATION_ERROR: Invalid message: line: "]
    for text in access:
        assert (text in logged) == (level != "warning"), (text, logged)
    messages = re.findall(r"DEBUG autocoderl\.ws: ws 127\.0\.0\.1:\d+ (\w+) -> ([\w ]+) \(\d+ ms\)", logged)
    expected = [("reset", "observation"), ("step", "error VALIDATION_ERROR"), ("step", "error STEP_TIMEOUT")]
    assert messages == (expected if level == "debug" else []), logged


def test_a_bad_log_level_is_refused_with_its_name() -> None:
    proc = subprocess.run([sys.executable, "-m", "environment.cli", "serve", "--log-level", "loud"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "--log-level: invalid choice: 'loud'" in proc.stderr
    proc = subprocess.run([sys.executable, "-m", "environment.app"], cwd=ROOT, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "AUTOCODERL_LOG_LEVEL": "loud", "PORT": "0"})
    assert proc.returncode != 0 and "AUTOCODERL_LOG_LEVEL='loud'" in proc.stderr
