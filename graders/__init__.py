"""Graders: turn a runner's record into a reward breakdown. Pure functions; nothing runs here."""

from __future__ import annotations

from collections.abc import Mapping

from graders.ast_checks import grade_ast
from graders.coverage import grade_coverage
from graders.fix_policy import PolicyVerdict, check_fix
from graders.lint import grade_lint
from graders.security import grade_security
from graders.tests_outcome import Canary, grade_tests
from graders.types import AstChecks, Check, GradeReport, GradeSpec
from graders.weights import BASE, COVERAGE, QUALITY
from sandbox.types import RunResult, RunStatus

__all__ = ["AstChecks", "Canary", "Check", "GradeReport", "GradeSpec", "PolicyVerdict", "check_fix", "grade"]


def _evidence(spec: GradeSpec, tests: Check, security: Check, lint: Check) -> float:
    if spec.fail_to_pass:
        return tests.score or 0.0
    targets = len(spec.target_bandit) + len(spec.target_ruff)
    if not targets:
        return tests.score or 0.0
    gone = len(spec.target_bandit) - len(security.data.get("targets_remaining", [])) if spec.target_bandit else 0
    gone += len(spec.target_ruff) - len(lint.data.get("targets_remaining", [])) if spec.target_ruff else 0
    return (tests.score or 0.0) * gone / targets


def grade(spec: GradeSpec, final_sources: Mapping[str, str], changed: list[str], verdict: PolicyVerdict,
          result: RunResult | None, canary: Canary | None = None) -> GradeReport:
    """Grade one fix. `final_sources` are all editable files after the fix; `result` is its run, which carried
    `canary` (when given).

    `solved` is SWE-bench's "resolved": every fail-to-pass and pass-to-pass test passes (none missing, no
    integrity violation) and the task's declared bandit/ruff targets are gone. Quality checks (new findings,
    AST checks, coverage) shape `fix_score` only; they never decide `solved`."""
    if verdict.refusal:
        return GradeReport((), 0.0, False, refused=verdict.refusal)
    if verdict.syntax_errors:
        detail = "; ".join(f"{p} {e}" for p, e in verdict.syntax_errors.items())
        checks = (Check("tests", 0.0, BASE, f"syntax error: {detail}"),
                  Check("ast", 0.0, QUALITY["ast"], f"does not parse: {detail}"))
        return GradeReport(checks, 0.0, False)
    if result is None or result.status is not RunStatus.COMPLETED or result.report is None:
        reason = result.reason if result else "not run"
        status = result.status.value if result else "not_run"
        return GradeReport((Check("tests", 0.0, BASE, f"{status}: {reason}"),), 0.0, False)
    report = result.report
    pytest_result = (report.get("pytest") or {}).get("result")
    tests = grade_tests(spec, pytest_result, canary)
    security = grade_security(spec, report.get("bandit"))
    lint = grade_lint(spec, report.get("ruff"))
    ast_check = grade_ast(spec, final_sources)
    all_pass = tests.score == 1.0 and not tests.data.get("missing")
    coverage = grade_coverage(pytest_result, changed, tests_all_pass=all_pass,
                              suppressions_added=verdict.suppressions_added)
    quality = [c for c in (security, lint, ast_check) if c.score is not None]
    share = sum(QUALITY[c.name] for c in quality)
    quality_score = sum(QUALITY[c.name] * c.score for c in quality) / share if share else 1.0
    evidence = _evidence(spec, tests, security, lint)
    cov = coverage.score if coverage.score is not None else 1.0
    fix_score = evidence * (BASE + (1 - BASE - COVERAGE) * quality_score + COVERAGE * cov)
    targets_gone = not (spec.target_bandit and (security.score is None or security.data.get("targets_remaining")
                                                or not (report.get("bandit") or {}).get("ok"))) \
        and not (spec.target_ruff and (lint.data.get("targets_remaining") or not (report.get("ruff") or {}).get("ok")))
    solved = all_pass and evidence == 1.0 and targets_gone
    checks = (tests, security, lint, ast_check, coverage)
    return GradeReport(checks, round(min(1.0, max(0.0, fix_score)), 6), solved)
