"""What the agent may see of an execution: visible tests by name, hidden tests as counts, tool
findings on its own code; never hidden test names, canary tests, the reference fix or the
task's declared checks (AST details are reduced to pass/fail)."""

from __future__ import annotations

import re

from environment.evaluator import Evaluation
from environment.models import CheckView, ExecutionReport
from graders.lint import repo_path
from graders.tests_outcome import visible_outcomes
from sandbox.types import RunResult, RunStatus

MAX_FINDINGS = 20


def _tool_findings(result: RunResult | None) -> tuple[list[dict], list[dict]]:
    report = (result.report or {}) if result else {}
    bandit = [{"test_id": r["test_id"], "file": repo_path(r["filename"]), "line": r["line_number"],
               "severity": r["issue_severity"], "text": r.get("issue_text", "")}
              for r in (report.get("bandit") or {}).get("results", [])][:MAX_FINDINGS]
    ruff = [{"code": r["code"], "file": repo_path(r["filename"]), "line": r["line"], "message": r["message"]}
            for r in (report.get("ruff") or {}).get("results", [])][:MAX_FINDINGS]
    return bandit, ruff


def _pytest_record(result: RunResult | None) -> dict | None:
    if result is None or result.report is None:
        return None
    return (result.report.get("pytest") or {}).get("result")


def _redactor(hidden: frozenset[str]):
    """Replaces the names of hidden test files and functions in a text (integrity findings can name them)."""
    names = {t.split("::")[0].rsplit("/", 1)[-1].removesuffix(".py") for t in hidden}
    names |= {t.split("::")[-1].split("[")[0] for t in hidden}
    pattern = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True))) if names else None
    return (lambda text: pattern.sub("<hidden>", text)) if pattern else (lambda text: text)


def _integrity(record: dict | None, redact) -> list[dict[str, str]]:  # noqa: ANN001
    found = ((record or {}).get("integrity") or {}).get("violations") or []
    return [{"kind": str(v.get("kind")), "target": redact(str(v.get("target")))} for v in found][:MAX_FINDINGS]


def _timeouts(record: dict | None) -> int:
    return sum(1 for o in ((record or {}).get("outcomes") or {}).values() if o == "timeout")


def graded_view(evaluation: Evaluation, runner: str, isolation: str) -> ExecutionReport:
    result, report = evaluation.result, evaluation.report
    record = _pytest_record(result)
    outcomes = (record or {}).get("outcomes", {})
    hidden = evaluation.spec.hidden_tests
    redact = _redactor(hidden)
    bandit, ruff = _tool_findings(result)
    checks = [CheckView(name=c.name, score=c.score, weight=c.weight,
                        detail="declared AST checks: " + ("all hold" if c.score == 1.0 else "not all hold")
                        if c.name == "ast" else redact(c.detail)) for c in report.checks]
    coverage = next((c.data.get("percent") for c in report.checks if c.name == "coverage" and c.data), None)
    ast_check = next((c for c in report.checks if c.name == "ast"), None)
    return ExecutionReport(
        kind="graded",
        status=result.status.value if result else ("refused" if report.refused else "not_run"),
        reason=result.reason if result else (report.refused or "syntax error: not run"),
        runner=result.runner if result else runner,
        isolation=result.isolation.value if result else isolation,
        isolation_note=result.isolation_note if result else "",
        duration_s=round(result.duration_s, 3) if result else 0.0,
        visible_tests=visible_outcomes(record, evaluation.visible_files),
        hidden_passed=sum(1 for t in hidden if outcomes.get(t) == "passed") if record else None,
        hidden_total=len(hidden),
        bandit=bandit, ruff=ruff, coverage_percent=coverage,
        ast_ok=None if ast_check is None else ast_check.score == 1.0,
        refused=report.refused, syntax_errors=dict(evaluation.verdict.syntax_errors),
        suppressions_added=evaluation.verdict.suppressions_added,
        fix_score=report.fix_score, solved=report.solved, checks=checks,
        environment=result.environment if result else None,
        python=(result.report or {}).get("python_build") if result else None,
        integrity=_integrity(record, redact), timeouts=_timeouts(record),
    )


def visible_view(result: RunResult | None, refused: str | None, runner: str, isolation: str) -> ExecutionReport:
    record = _pytest_record(result)
    bandit, ruff = _tool_findings(result)
    tail = ""
    if result is not None and result.report is not None:
        tail = ((result.report.get("pytest") or {}).get("output_tail") or "")[-3000:]
    return ExecutionReport(
        kind="visible_tests",
        status=result.status.value if result else "refused",
        reason=(result.reason if result else refused) or "",
        runner=result.runner if result else runner,
        isolation=result.isolation.value if result else isolation,
        isolation_note=result.isolation_note if result else "",
        duration_s=round(result.duration_s, 3) if result else 0.0,
        visible_tests=dict((record or {}).get("outcomes", {})),
        bandit=bandit, ruff=ruff, refused=refused, output_tail=tail,
        environment=result.environment if result else None,
        python=(result.report or {}).get("python_build") if result else None,
        integrity=_integrity(record, lambda text: text), timeouts=_timeouts(record),
    )


def status_label(view: ExecutionReport) -> str:
    if view.status != RunStatus.COMPLETED.value:
        return view.status
    tests = list(view.visible_tests.values())
    if view.kind == "graded":
        return "passed" if view.solved else "failed"
    return "passed" if tests and all(o == "passed" for o in tests) else "failed"
