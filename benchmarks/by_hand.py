"""The tools run by hand: what an evaluation costs without our runners (issue 14's denominator).

Each evaluation writes the repo tree (repo + hidden tests) into a fresh temp dir, then runs, one after
the other, as plain processes with the sandbox's interpreter and tool versions (the local runner's base
venv):

    python -m coverage run -m pytest -q -p no:cacheprovider
    python -m bandit -r -f json <source files>
    ruff check <source files>

No jail, no limits, no harness, no integrity checks: the floor a team would get from a shell script.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from sandbox.types import Isolation, RunRequest, RunResult, RunStatus

SUMMARY = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)\b")


def base_venv() -> Path:
    """The local runner's base venv (same interpreter build and tool versions as the sandbox)."""
    from sandbox.local import LocalRunner

    runner = LocalRunner()
    try:
        path = runner.environments.base_info.path
    finally:
        runner.close()
    if path is None:
        raise SystemExit("the local runner has no base venv (run `autocoderl sandbox build` first)")
    return Path(path)


def pytest_counts(output: str) -> dict[str, int]:
    """Outcome counts from pytest's last summary line ("3 failed, 6 passed in 0.12s")."""
    lines = [line for line in output.strip().splitlines() if SUMMARY.search(line)]
    if not lines:
        return {}
    counts = {kind: int(n) for n, kind in SUMMARY.findall(lines[-1])}
    if "error" in counts:
        counts["errors"] = counts.pop("error") + counts.get("errors", 0)
    return counts


class ByHand:
    """A runner-shaped wrapper (run(request) -> RunResult) around the three tool processes."""

    name = "by hand (3 processes)"
    isolation = Isolation.RLIMITS
    image = None

    def __init__(self, venv: Path | None = None) -> None:
        self.venv = venv or base_venv()
        self.python = str(self.venv / "bin" / "python")
        self.ruff = str(self.venv / "bin" / "ruff")
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COVERAGE"))}

    def commands(self, sources: tuple[str, ...]) -> list[list[str]]:
        return [[self.python, "-m", "coverage", "run", "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                [self.python, "-m", "bandit", "-r", "-f", "json", *sources],
                [self.ruff, "check", *sources]]

    def run(self, request: RunRequest) -> RunResult:
        started = time.monotonic()
        workdir = Path(tempfile.mkdtemp(prefix="bench-by-hand-"))
        try:
            for path, data in request.files.items():
                target = workdir / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            procs = [subprocess.run(cmd, cwd=workdir, env=self.env, capture_output=True, text=True,
                                    timeout=request.limits.wall_s)
                     for cmd in self.commands(request.source_files)]
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        tests, bandit, ruff = procs
        counts = pytest_counts(tests.stdout)
        try:
            bandit_ok = "results" in json.loads(bandit.stdout)
        except ValueError:
            bandit_ok = False
        ok = bool(counts) and tests.returncode in (0, 1) and bandit_ok and ruff.returncode in (0, 1)
        tail = (tests.stdout + tests.stderr + bandit.stderr + ruff.stderr)[-500:]
        reason = "" if ok else (f"pytest exit {tests.returncode}, bandit json {bandit_ok}, "
                                f"ruff exit {ruff.returncode}: {tail}")
        return RunResult(status=RunStatus.COMPLETED if ok else RunStatus.CRASHED, runner=self.name,
                         isolation=self.isolation, duration_s=time.monotonic() - started,
                         report={"pytest": {"counts": counts}}, exit_code=tests.returncode, reason=reason)

    def close(self) -> None:
        pass


def outcome_counts(result: RunResult) -> tuple[int, int]:
    """(failed, total) tests of a completed run, from a harness report or a by-hand one; (-1, -1) otherwise."""
    if result.status is not RunStatus.COMPLETED or not result.report:
        return -1, -1
    pytest = result.report.get("pytest") or {}
    if "counts" in pytest:
        counts = pytest["counts"]
        return counts.get("failed", 0) + counts.get("errors", 0), sum(counts.values())
    outcomes = (pytest.get("result") or {}).get("outcomes") or {}
    return sum(o != "passed" for o in outcomes.values()), len(outcomes)
