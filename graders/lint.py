"""ruff credit: no new violations versus the buggy baseline; style tasks name the rule that must go."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from graders.types import Check, GradeSpec
from graders.weights import FIX_WEIGHTS


def repo_path(filename: str | None) -> str:
    """A tool's file name relative to the repo root (ruff reports absolute sandbox paths)."""
    return (filename or "").rsplit("/repo/", 1)[-1].removeprefix("./")


def findings(report: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    return [(r["code"], repo_path(r["filename"])) for r in (report or {}).get("results", [])]


def grade_lint(spec: GradeSpec, report: Mapping[str, Any] | None) -> Check:
    weight = FIX_WEIGHTS["lint"]
    if report is None or not report.get("ok"):
        return Check("lint", 0.0, weight, "ruff produced no result")
    now = findings(report)
    new = sorted(f"{code} in {f}" for (code, f), n in (Counter(now) - Counter(spec.baseline_ruff)).items()
                 for _ in range(n))
    remaining = sorted({code for code, _ in now} & spec.target_ruff)
    data = {"findings": len(now), "new": new, "targets_remaining": remaining}
    if remaining:
        return Check("lint", 0.0, weight, f"ruff still flags {', '.join(remaining)}", data)
    if new:
        return Check("lint", 0.0, weight, f"new ruff findings: {', '.join(new[:5])}", data)
    return Check("lint", 1.0, weight, "no new ruff findings" + (", target rule gone" if spec.target_ruff else ""), data)
