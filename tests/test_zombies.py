"""Runs of evaluations leave no zombie child: not in a process that evaluates in-process (from worker threads
that end, as `tasks validate` does) and not in the server."""

from __future__ import annotations

import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import websockets.sync.client

from environment.corpus.tasks import load_tasks
from environment.evaluator import Evaluator
from sandbox.local import LocalRunner


def zombie_children(pid: int) -> list[tuple[int, str]]:
    """(pid, name) of the children of `pid` that ended and were not reaped."""
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            name, rest = stat[stat.index("(") + 1: stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
            if rest[0] == "Z" and int(rest[1]) == pid:
                found.append((int(entry.name), name))
    return found


def lasting_zombies(pid: int, wait_s: float = 10.0) -> list[tuple[int, str]]:
    """The zombie children of `pid` still there after `wait_s` (a child is reaped a moment after it ends)."""
    deadline = time.monotonic() + wait_s
    while (found := zombie_children(pid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return found


def test_a_run_of_evaluations_leaves_no_zombie_child() -> None:
    task = load_tasks().tasks["logic-bulk-discount"]
    runner = LocalRunner()
    evaluator = Evaluator(runner, max_parallel=2)
    try:
        for _ in range(2):  # a harness started by a worker thread ends with it; the next round starts another
            with ThreadPoolExecutor(2) as pool:
                fixed, buggy = pool.map(lambda changes: evaluator.evaluate(task, changes), [dict(task.solution), {}])
            assert fixed.report.solved and not buggy.report.solved
            assert lasting_zombies(os.getpid()) == []
    finally:
        runner.close()
    assert lasting_zombies(os.getpid()) == []


def server_pid(url: str) -> int:
    """The pid of this test process's server child listening on `url`'s port."""
    port = str(urlparse(url).port)
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                environ = Path(entry.path, "environ").read_bytes().split(b"\0")
                cmdline = Path(entry.path, "cmdline").read_bytes()
            except OSError:
                continue
            if b"environment.app" in cmdline and f"PORT={port}".encode() in environ:
                return int(entry.name)
    raise AssertionError(f"no server process for {url}")


def test_the_server_reaps_what_its_evaluations_start(server_url: str) -> None:
    task = load_tasks().tasks["logic-bulk-discount"]
    with websockets.sync.client.connect(server_url.replace("http", "ws") + "/ws") as ws:
        for step in ({"action_type": "run_tests"},
                     {"action_type": "apply_fix", "files": dict(task.solution)}):
            ws.send(json.dumps({"type": "reset", "data": {"task_id": task.public_id}}))
            assert json.loads(ws.recv())["type"] == "observation"
            ws.send(json.dumps({"type": "step", "data": step}))
            observation = json.loads(ws.recv())["data"]["observation"]
            assert observation["execution"]["status"] == "completed", observation["execution"]
    assert lasting_zombies(server_pid(server_url)) == []
