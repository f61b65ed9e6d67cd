"""Test credit from per-test outcomes against the task's expected test-id sets (SWE-bench rules).

A missing, renamed, skipped, deselected or uncollected expected test counts as failed; a run whose
tests never executed scores 0; canary tests (one must pass, one must fail) expose a forged record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graders.types import Check, GradeSpec
from graders.weights import FIX_WEIGHTS, REGRESSION_FACTOR

CANARY_FILE = "tests/test_zz_review_canary.py"
CANARY_PASS = f"{CANARY_FILE}::test_canary_holds"
CANARY_FAIL = f"{CANARY_FILE}::test_canary_breaks"
CANARY_SOURCE = (
    "def test_canary_holds():\n    assert sum(range(4)) == 6\n\n\n"
    "def test_canary_breaks():\n    assert sum(range(4)) == 7\n"
)


def canary_intact(outcomes: Mapping[str, str]) -> bool:
    """True when the must-pass canary passed and the must-fail canary failed."""
    return outcomes.get(CANARY_PASS) == "passed" and outcomes.get(CANARY_FAIL) == "failed"


def _passed(outcomes: Mapping[str, str], ids: frozenset[str]) -> set[str]:
    return {t for t in ids if outcomes.get(t) in ("passed", "xfailed")}


def grade_tests(spec: GradeSpec, result: Mapping[str, Any] | None, *, with_canary: bool = True) -> Check:
    """Score = f2p pass rate, scaled down on any pass-to-pass regression. `result` is the pytest record."""
    weight = FIX_WEIGHTS["tests"]
    if result is None:
        return Check("tests", 0.0, weight, "the tests did not produce a record")
    outcomes: Mapping[str, str] = result.get("outcomes", {})
    if with_canary and not canary_intact(outcomes):
        return Check("tests", 0.0, weight, "test record failed its integrity check (canary tests); no test credit",
                     {"forged": True})
    expected = spec.fail_to_pass | spec.pass_to_pass
    ran = {t for t in expected if t in outcomes}
    if expected and not ran:
        return Check("tests", 0.0, weight, "none of the expected tests ran")
    f2p_ok = _passed(outcomes, spec.fail_to_pass)
    p2p_ok = _passed(outcomes, spec.pass_to_pass)
    f2p_rate = len(f2p_ok) / len(spec.fail_to_pass) if spec.fail_to_pass else 1.0
    p2p_rate = len(p2p_ok) / len(spec.pass_to_pass) if spec.pass_to_pass else 1.0
    score = f2p_rate if p2p_rate == 1.0 else f2p_rate * p2p_rate * REGRESSION_FACTOR
    hidden = spec.hidden_tests
    data = {
        "fail_to_pass": {"passed": len(f2p_ok), "total": len(spec.fail_to_pass)},
        "pass_to_pass": {"passed": len(p2p_ok), "total": len(spec.pass_to_pass)},
        "hidden": {"passed": len(_passed(outcomes, frozenset(hidden))), "total": len(hidden)},
        "missing": len(expected - ran),
    }
    missing = expected - ran
    detail = (f"fail-to-pass {len(f2p_ok)}/{len(spec.fail_to_pass)}, pass-to-pass {len(p2p_ok)}/"
              f"{len(spec.pass_to_pass)}" + (f", {len(missing)} expected tests missing" if missing else ""))
    return Check("tests", score, weight, detail, data)


def visible_outcomes(result: Mapping[str, Any] | None, hidden: frozenset[str]) -> dict[str, str]:
    """Outcomes of the tests the agent can see, by name (hidden and canary tests removed)."""
    if not result:
        return {}
    return {t: o for t, o in result.get("outcomes", {}).items() if t not in hidden and not t.startswith(CANARY_FILE)}
