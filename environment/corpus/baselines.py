"""A task's reference run: which tests exist, which fail on the buggy repo (fail-to-pass), which
pass on both (pass-to-pass), and the buggy repo's bandit/ruff findings the graders compare against.

Recorded in `<task>/baseline.json` by `autocoderl tasks validate --record`; computed on first use
(and cached) for a task without an up-to-date record, e.g. an outside task folder.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from environment.corpus.tasks import Task
from graders.fix_policy import used_by
from graders.lint import findings as ruff_findings
from graders.security import findings as bandit_findings
from graders.types import AstChecks, GradeSpec
from sandbox.budgets import DEFAULT_TEST_S, REFERENCE_TEST_S, run_wall, test_budgets
from sandbox.types import Limits, Runner, RunRequest, RunResult, RunStatus


class BaselineError(Exception):
    """The reference run could not establish the task's expectations (broken task or sandbox)."""


@dataclass(frozen=True)
class Baseline:
    task_hash: str
    python: str
    """The sandbox interpreter's version (e.g. 3.11.2): a run on another one is not comparable."""
    tests: list[str]
    fail_to_pass: list[str]
    pass_to_pass: list[str]
    hidden: list[str]
    durations: dict[str, float]
    """Seconds each test took in the reference run: the source of its time budget (sandbox/budgets.py)."""
    buggy_bandit: list[list[str]]
    buggy_ruff: list[list[str]]
    solution_bandit: list[list[str]]
    solution_ruff: list[list[str]]
    solution_failing: list[str]
    buggy_timeouts: list[str]
    """Tests that hang (exceed their budget) on the buggy repo: fail-to-pass like any other failure."""
    integrity: list[list[str]]
    """(kind, target) integrity findings of the buggy or reference run: the task's own code does that."""

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True) + "\n"


def repo_tree(task: Task, changes: dict[str, str] | None = None, *, hidden: bool = True,
              extra: dict[str, str] | None = None) -> dict[str, bytes]:
    """The tree that goes into the sandbox: repo (+ fix) (+ hidden tests) (+ extra harness files)."""
    files = dict(task.repo)
    files.update(changes or {})
    if hidden:
        files.update(task.hidden_paths)
    files.update(extra or {})
    return {path: text.encode("utf-8") for path, text in files.items()}


def static_test_count(task: Task) -> int:
    """Test functions in the visible and hidden test files, counted in the source (parametrized ones once)."""
    texts = [t for p, t in task.repo.items() if p.startswith("tests/")] + list(task.hidden.values())
    return sum(len(re.findall(r"^\s*(?:async\s+)?def test", text, re.M)) for text in texts)


def run_tree(runner: Runner, task: Task, files: dict[str, bytes], *, run_tools: bool = True,
             budgets: dict[str, float] | None = None, default_budget: float = DEFAULT_TEST_S,
             tracebacks: bool = False) -> RunResult:
    """Run a tree of `task`. Tests get their time budget from `budgets` (test id -> seconds, from the reference
    run), others `default_budget`; the wall clock allows every test its whole budget."""
    unknown = 4 if budgets else 2 * static_test_count(task) + 4
    limits = Limits(wall_s=run_wall((budgets or {}).values(), unknown, default_budget))
    return runner.run(RunRequest(files=files, source_files=task.source_files, run_tools=run_tools,
                                 label=task.id, requirements=task.spec.requirements, limits=limits,
                                 test_budgets=budgets or {}, default_test_budget=default_budget,
                                 tracebacks=tracebacks))


def _record(result: RunResult) -> dict[str, Any]:
    if result.status is not RunStatus.COMPLETED or not result.report:
        raise BaselineError(f"reference run {result.status.value}: {result.reason}")
    return (result.report.get("pytest") or {}).get("result") or {}


def compute_baseline(task: Task, runner: Runner) -> Baseline:
    """Run the reference solution, then the buggy repo (both with hidden tests), and derive the sets.

    The reference runs first, with a generous budget per test; the buggy repo's tests then get budgets from the
    reference's durations, as every graded fix does. A buggy test that hangs or runs exponentially long times
    out on any machine load (fail-to-pass), and a slow-but-finishing one cannot flip between runs."""
    fixed = run_tree(runner, task, repo_tree(task, task.solution if not task.spec.no_bug else None),
                     default_budget=REFERENCE_TEST_S)
    buggy = fixed if task.spec.no_bug else run_tree(runner, task, repo_tree(task),
                                                     budgets=test_budgets(_record(fixed).get("durations", {})))
    before, after = _record(buggy).get("outcomes", {}), _record(fixed).get("outcomes", {})
    passed_after = {t for t, o in after.items() if o == "passed"}
    passed_before = {t for t, o in before.items() if o == "passed"}
    hidden_files = set(task.hidden_paths)
    integrity = {(v.get("kind"), v.get("target")) for run in (buggy, fixed)
                 for v in (_record(run).get("integrity") or {}).get("violations", [])}
    return Baseline(
        task_hash=task.content_hash,
        python=str(fixed.report.get("python_build") or fixed.report.get("python")),
        tests=sorted(after),
        fail_to_pass=sorted(passed_after - passed_before),
        pass_to_pass=sorted(passed_after & passed_before),
        hidden=sorted(t for t in after if t.split("::")[0] in hidden_files),
        durations={t: round(float(d), 4) for t, d in sorted(_record(fixed).get("durations", {}).items())},
        buggy_bandit=[list(f) for f in bandit_findings(buggy.report.get("bandit"))],
        buggy_ruff=[list(f) for f in ruff_findings(buggy.report.get("ruff"))],
        solution_bandit=[list(f) for f in bandit_findings(fixed.report.get("bandit"))],
        solution_ruff=[list(f) for f in ruff_findings(fixed.report.get("ruff"))],
        solution_failing=sorted(t for t, o in after.items() if o != "passed"),
        buggy_timeouts=sorted(t for t, o in before.items() if o == "timeout"),
        integrity=sorted([str(k), str(t)] for k, t in integrity),
    )


def read_recorded(task: Task) -> Baseline | None:
    path = task.root / "baseline.json"
    try:
        data: dict[str, Any] = json.loads(path.read_text())
        baseline = Baseline(**data)
    except (OSError, ValueError, TypeError):
        return None
    return baseline if baseline.task_hash == task.content_hash else None


def grade_spec(task: Task, baseline: Baseline) -> GradeSpec:
    checks = task.spec.ast_checks
    # modules the task's own code or its reference fix import: a fix may use these
    imports: set[str] = set()
    for text in [*(task.repo[p] for p in task.source_files), *task.solution.values()]:
        imports |= used_by(text)[0]
    return GradeSpec(
        task_id=task.id,
        original={p: task.repo[p] for p in task.source_files},
        fail_to_pass=frozenset(baseline.fail_to_pass),
        pass_to_pass=frozenset(baseline.pass_to_pass),
        hidden_tests=frozenset(baseline.hidden),
        baseline_bandit=_union(baseline.buggy_bandit, baseline.solution_bandit),
        baseline_ruff=_union(baseline.buggy_ruff, baseline.solution_ruff),
        allowed_violations=frozenset((k, t) for k, t in baseline.integrity),
        target_bandit=frozenset(t for b in task.spec.bugs for t in b.bandit),
        target_ruff=frozenset(r for b in task.spec.bugs for r in b.ruff),
        ast_checks=AstChecks(checks.forbidden_calls, checks.forbidden_imports, checks.forbidden_kwargs,
                             checks.required_calls, checks.preserve_signatures),
        allowed_imports=frozenset(imports),
    )


def _union(*findings: list[list[str]]) -> tuple[tuple[str, ...], ...]:
    """Multiset union: each finding as often as the run that has it most often."""
    counts: Counter[tuple[str, ...]] = Counter()
    for run in findings:
        counts |= Counter(tuple(f) for f in run)
    return tuple(sorted(counts.elements()))


def budgets(baseline: Baseline) -> dict[str, float]:
    """Per-test time budgets of graded runs, from the reference run's durations."""
    return test_budgets(baseline.durations)


class BaselineCache:
    """Recorded baselines, else computed once per task content hash (thread-safe, per process)."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self._cache: dict[str, Baseline] = {}
        self._lock = threading.Lock()
        self._task_locks: dict[str, threading.Lock] = {}
        self._specs: dict[tuple[str, str], GradeSpec] = {}

    def spec(self, task: Task) -> GradeSpec:
        """The task's GradeSpec, made once from its baseline (every evaluation needs it) and forgotten with it."""
        key = (task.id, task.content_hash)
        spec = self._specs.get(key)
        if spec is None:
            spec = self._specs[key] = grade_spec(task, self.get(task))
        return spec

    def get(self, task: Task) -> Baseline:
        key = task.content_hash
        if key in self._cache:
            return self._cache[key]
        with self._lock:
            lock = self._task_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._cache:
                self._cache[key] = read_recorded(task) or compute_baseline(task, self.runner)
            return self._cache[key]

    def put(self, task: Task, baseline: Baseline) -> None:
        """Use `baseline` for `task` (one just computed elsewhere, e.g. by validation); a GradeSpec made from an
        earlier baseline is forgotten with it."""
        with self._lock:
            self._cache[task.content_hash] = baseline
            self._specs.pop((task.id, task.content_hash), None)

    def discard(self, task: Task) -> None:
        """Forget a task's baseline (e.g. an evicted variant); it is computed again if needed."""
        with self._lock:
            self._cache.pop(task.content_hash, None)
            self._task_locks.pop(task.content_hash, None)
            self._specs.pop((task.id, task.content_hash), None)
