"""bandit credit: the task's target findings are gone and no new medium/high finding appeared.

Never "bandit is clean" alone: bandit flags some correct fixes and misses every logic vulnerability
(security-curriculum.md section 2), so tasks without targets get no bandit check at all.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from graders.types import Check, GradeSpec
from graders.weights import FIX_WEIGHTS


def findings(report: Mapping[str, Any] | None) -> list[tuple[str, str, str]]:
    return [(r["test_id"], r["filename"], r["issue_severity"]) for r in (report or {}).get("results", [])]


def grade_security(spec: GradeSpec, report: Mapping[str, Any] | None) -> Check:
    weight = FIX_WEIGHTS["security"]
    if report is None or not report.get("ok"):
        return Check("security", 0.0 if spec.target_bandit else None, weight, "bandit produced no result")
    now = findings(report)
    remaining = sorted({tid for tid, _, _ in now} & spec.target_bandit)
    before = Counter((tid, f) for tid, f, sev in spec.baseline_bandit if sev in ("MEDIUM", "HIGH"))
    after = Counter((tid, f) for tid, f, sev in now if sev in ("MEDIUM", "HIGH"))
    new = sorted(f"{tid} in {f}" for (tid, f), n in (after - before).items() for _ in range(n))
    data = {"findings": len(now), "targets_remaining": remaining, "new_medium_high": new}
    if not spec.target_bandit:
        if new:
            return Check("security", 0.0, weight, f"new bandit findings: {', '.join(new)}", data)
        return Check("security", None, weight, "no bandit target for this task", data)
    if remaining:
        return Check("security", 0.0, weight, f"bandit still flags {', '.join(remaining)}", data)
    if new:
        return Check("security", 0.0, weight, f"new bandit findings: {', '.join(new)}", data)
    return Check("security", 1.0, weight, "targeted bandit findings gone, nothing new", data)
