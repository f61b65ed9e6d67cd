"""Long CLI commands show progress: a bar on a terminal, one line per finished task elsewhere (CI logs)."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

import environment.corpus.validation as validation
from environment.corpus.tasks import load_tasks
from environment.corpus.validation import TaskVerdict, validate_all
from environment.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
TASKS = ["clean-loyalty-tiers", "logic-bulk-discount"]


def run_in_terminal(argv: list[str], timeout: float = 600) -> str:
    """Run `argv` with stdout and stderr on a 100-column pseudo-terminal; returns everything it printed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
    proc = subprocess.Popen(argv, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=slave, stderr=slave)
    os.close(slave)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.5)[0]:
                try:
                    data = os.read(master, 65536)
                except OSError:  # the terminal closed: the command ended
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        proc.kill()
        proc.wait()
    return b"".join(chunks).decode(errors="replace")


def test_progress_prints_one_line_per_item_off_a_terminal() -> None:
    stream = io.StringIO()
    with Progress(12, "validate", stream=stream) as progress:
        assert progress.bar is None
        progress.done("OK         a", 1.25)
        progress.note("a note")
        progress.done("BROKEN     b")
    assert stream.getvalue().splitlines() == ["[ 1/12] OK         a (1.2 s)", "a note", "[ 2/12] BROKEN     b"]


def test_validate_all_reports_each_task_as_it_finishes(monkeypatch: pytest.MonkeyPatch) -> None:
    """on_done runs as each task ends (the slow one last), before validate_all returns its ordered verdicts."""
    tasks = [load_tasks().tasks[t] for t in TASKS]
    delays = {"clean-loyalty-tiers": 0.6, "logic-bulk-discount": 0.0}

    def fake(task, runner, evaluator) -> TaskVerdict:  # noqa: ANN001 - validate_task's signature
        time.sleep(delays[task.id])
        return TaskVerdict(task.id, "ok", "fine")

    monkeypatch.setattr(validation, "validate_task", fake)
    seen: list[tuple[str, float]] = []
    started = time.monotonic()
    verdicts = validate_all(tasks, runner=None, workers=2,  # type: ignore[arg-type] - the fake never runs code
                            on_done=lambda v, s: seen.append((v.task_id, time.monotonic() - started)))
    assert [v.task_id for v in verdicts] == TASKS
    assert [t for t, _ in seen] == ["logic-bulk-discount", "clean-loyalty-tiers"]
    assert seen[0][1] < 0.5 <= seen[1][1]


VALIDATE = [sys.executable, "-m", "environment.cli", "tasks", "validate", "--only", *TASKS, "--runner", "local"]


def test_tasks_validate_prints_a_line_per_task_when_not_on_a_terminal() -> None:
    proc = subprocess.run(VALIDATE, cwd=ROOT, capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.startswith("[")]
    assert len(lines) == 2 and all(re.fullmatch(r"\[[12]/2\] OK +[a-z-]+ \(\d+\.\d s\)", line) for line in lines), lines
    assert sorted(line.split()[-3] for line in lines) == TASKS
    assert "2 ok, 0 failed" in proc.stdout


def test_tasks_validate_shows_a_bar_on_a_terminal() -> None:
    output = run_in_terminal(VALIDATE)
    assert re.search(r"validate: 100%\|.*\| 2/2 \[.*ok 2\]", output), output[-2000:]
    assert "[1/2]" not in output and "2 ok, 0 failed" in output
