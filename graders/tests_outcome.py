"""Test credit from per-test outcomes against the task's expected test-id sets (SWE-bench rules).

A missing, renamed, skipped, deselected, timed-out or uncollected expected test counts as failed; a run
whose tests never executed scores 0; canary tests under random names (one must pass, one must fail) expose
a forged record, and an integrity violation seen by the harness withholds all test credit.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from graders.types import Check, GradeSpec
from graders.weights import FIX_WEIGHTS, REGRESSION_FACTOR


@dataclass(frozen=True)
class Canary:
    """A must-pass and a must-fail test added to every graded run under names drawn at random per run
    (never predictable from the source), so forged outcomes (everything passed, a test skipped) show up."""

    path: str
    holds: str
    breaks: str
    source: str

    @classmethod
    def new(cls) -> Canary:
        word = secrets.choice(("totals", "rounding", "parsing", "limits", "orders", "records", "format", "values"))
        path = f"tests/test_{word}_{secrets.token_hex(4)}.py"
        holds, breaks = (f"test_{secrets.choice(('keeps', 'returns', 'handles', 'matches'))}_{secrets.token_hex(3)}"
                         for _ in range(2))
        a, b = secrets.randbelow(9000) + 1000, secrets.randbelow(9000) + 1000
        source = (f"def {holds}():\n    assert {a} + {b} == {a + b}\n\n\n"
                  f"def {breaks}():\n    assert {a} * {b} == {a * b + 1 + secrets.randbelow(97)}\n")
        return cls(path, f"{path}::{holds}", f"{path}::{breaks}", source)

    def intact(self, outcomes: Mapping[str, str]) -> bool:
        """True when the must-pass canary passed and the must-fail canary failed."""
        return outcomes.get(self.holds) == "passed" and outcomes.get(self.breaks) == "failed"


def violations(result: Mapping[str, Any] | None, allowed: frozenset[tuple[str, str]]) -> list[dict]:
    """Integrity violations of a run (sandbox/harness/integrity.py) not also seen in the task's reference runs."""
    found = ((result or {}).get("integrity") or {}).get("violations") or []
    return [v for v in found if (v.get("kind"), v.get("target")) not in allowed]


def _passed(outcomes: Mapping[str, str], ids: frozenset[str]) -> set[str]:
    """Tests of `ids` that passed. Only "passed" counts: every fail-to-pass and pass-to-pass test passed in
    the reference run, so an xfail mark that turns its failure into "xfailed" is no pass."""
    return {t for t in ids if outcomes.get(t) == "passed"}


def grade_tests(spec: GradeSpec, result: Mapping[str, Any] | None, canary: Canary | None = None) -> Check:
    """Score = f2p pass rate, scaled down on any pass-to-pass regression. `result` is the pytest record.

    No credit at all when the run shows an integrity violation (faked comparisons, patched modules, frame
    peeking) or when `canary` is given and its tests did not come out as they must."""
    weight = FIX_WEIGHTS["tests"]
    if result is None:
        return Check("tests", 0.0, weight, "the tests did not produce a record")
    outcomes: Mapping[str, str] = result.get("outcomes", {})
    if broken := violations(result, spec.allowed_violations):
        first = broken[0]
        return Check("tests", 0.0, weight, f"integrity violation ({first['kind']}): {first['detail']}; no test credit",
                     {"forged": True, "integrity": [{"kind": v["kind"], "target": v["target"]} for v in broken]})
    if canary is not None and not canary.intact(outcomes):
        return Check("tests", 0.0, weight, "test record failed its integrity check (canary tests); no test credit",
                     {"forged": True, "integrity": [{"kind": "canary", "target": "canary tests"}]})
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


def visible_outcomes(result: Mapping[str, Any] | None, visible_files: Iterable[str]) -> dict[str, str]:
    """Outcomes of the tests the agent can see (those in the repo's own test files), by name."""
    if not result:
        return {}
    files = set(visible_files)
    return {t: o for t, o in result.get("outcomes", {}).items() if t.split("::")[0] in files}
