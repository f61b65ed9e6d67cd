"""Turn what a runner saw (report line, exit, kill reasons) into one typed RunStatus."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sandbox.types import RunStatus

MARKER = "AUTOCODERL-REPORT"


def extract_report(output: str, nonce: str) -> Mapping[str, Any] | None:
    """The harness report carrying our nonce; anything else printed is ignored."""
    prefix = f"{MARKER} {nonce} "
    found = None
    for line in output.splitlines():
        if line.startswith(prefix):
            try:
                found = json.loads(line[len(prefix):])
            except ValueError:
                return None
    return found


def classify(report: Mapping[str, Any] | None, *, host_timeout: bool, host_overflow: bool,
             oom: bool, exit_code: int | None) -> tuple[RunStatus, str]:
    """Decide the status. Host-side observations win over anything the sandbox says."""
    if host_timeout:
        return RunStatus.TIMEOUT, "evaluation exceeded its wall-clock deadline and was killed"
    if host_overflow:
        return RunStatus.OUTPUT_LIMIT, "evaluation printed more than the output cap and was killed"
    if oom:
        return RunStatus.OOM, "evaluation exceeded its memory limit (OOM-killed)"
    if report is None:
        return RunStatus.NO_REPORT, f"the harness produced no report (exit code {exit_code})"
    if report.get("refused"):
        return RunStatus.CRASHED, f"the sandbox refused the repo archive: {report['refused']}"
    if report.get("disk_full"):
        return RunStatus.DISK_FULL, "the work directory ran out of space"
    pytest = report.get("pytest") or {}
    if pytest.get("timed_out"):
        return RunStatus.TIMEOUT, "the tests exceeded the deadline and were killed"
    if pytest.get("output_overflow"):
        return RunStatus.OUTPUT_LIMIT, "the tests printed more than the output cap and were killed"
    if pytest.get("forged"):
        return RunStatus.CRASHED, "the test report channel was tampered with (unsigned or inconsistent events)"
    if pytest.get("result") is None:
        code = pytest.get("returncode")
        if code is not None and code < 0:
            return RunStatus.CRASHED, f"the test process was killed by signal {-code} before reporting"
        return RunStatus.CRASHED, f"the test process exited (code {code}) without a report"
    return RunStatus.COMPLETED, ""
