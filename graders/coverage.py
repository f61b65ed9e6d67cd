"""Line coverage of the modules a fix changed (a small bonus, only when every expected test passes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from graders.types import Check
from graders.weights import COVERAGE


def grade_coverage(result: Mapping[str, Any] | None, changed: Iterable[str], *, tests_all_pass: bool,
                   suppressions_added: int) -> Check:
    files = (result or {}).get("coverage", {})
    statements = missing = 0
    for path in changed:
        data = files.get(path)
        if data:
            statements += data["statements"]
            missing += len(data["missing"])
    if not statements:
        return Check("coverage", None, COVERAGE, "no coverage data for the changed modules")
    percent = (statements - missing) / statements
    data = {"percent": round(100 * percent, 1)}
    if not tests_all_pass:
        return Check("coverage", 0.0, COVERAGE, f"{data['percent']}% (no bonus: not every expected test passes)", data)
    if suppressions_added:
        return Check("coverage", 0.0, COVERAGE, f"{data['percent']}% (no bonus: suppression comments added)", data)
    return Check("coverage", percent, COVERAGE, f"{data['percent']}% of changed lines' modules covered", data)
