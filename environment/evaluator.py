"""Evaluate a fix for a task: refuse or run it in the sandbox, then grade the record.

The only place that combines tasks, the sandbox and the graders; SandboxError (our machinery
failing) propagates to the environment, which reports the step as unscorable.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from environment.corpus.baselines import BaselineCache, budgets, repo_tree, run_tree
from environment.corpus.tasks import Task
from graders import Canary, GradeReport, GradeSpec, check_fix, grade
from graders.fix_policy import PolicyVerdict
from sandbox.environments import EnvironmentInfo
from sandbox.requirements import RequirementSet
from sandbox.types import Runner, RunResult


@dataclass(frozen=True)
class Evaluation:
    """One graded (or refused) fix with the run behind it."""

    report: GradeReport
    verdict: PolicyVerdict
    result: RunResult | None
    spec: GradeSpec
    changes: dict[str, str]
    visible_files: tuple[str, ...] = ()
    """The repo's own test files: their outcomes may be shown to the agent (hidden and canary ones never)."""


class _Bounded:
    """A Runner wrapper that caps how many sandbox runs happen at once (across all sessions)."""

    def __init__(self, runner: Runner, slots: int) -> None:
        self.inner = runner
        self._slots = threading.BoundedSemaphore(max(1, slots))

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def run(self, request):  # noqa: ANN001 - same signature as Runner.run
        with self._slots:
            return self.inner.run(request)


class Evaluator:
    """Args:
        runner: the sandbox runner.
        max_parallel: sandbox runs at once.
        wait_for_environment: block while a task's environment (image/venv) is built; False raises
            EnvironmentPreparing instead (the server), after starting the build in the background.
        policy: the static fix policy (graders.check_fix); tests of the run-time checks pass one that refuses
            nothing, to see what the sandbox alone catches.
    """

    def __init__(self, runner: Runner, max_parallel: int = 2, *, wait_for_environment: bool = True,
                 policy: Callable[..., PolicyVerdict] = check_fix) -> None:
        self.policy = policy
        self.runner = _Bounded(runner, max_parallel)
        self.baselines = BaselineCache(self.runner)
        self.wait_for_environment = wait_for_environment

    def environment(self, task: Task, *, wait: bool | None = None) -> EnvironmentInfo:
        """The environment `task` runs in (see `EnvironmentStore.get` for what it raises)."""
        wait = self.wait_for_environment if wait is None else wait
        return self.runner.environments.get(RequirementSet.of(task.spec.requirements), wait=wait)

    def environment_status(self, task: Task) -> str:
        """ready | preparing | failed | missing, without starting anything."""
        return self.runner.environments.status(RequirementSet.of(task.spec.requirements))

    def environment_failed(self, task: Task) -> bool:
        """The task's requirements could not be installed (recently): it cannot be served now. No I/O."""
        requirements = task.spec.requirements
        return bool(requirements) and self.runner.environments.failed(RequirementSet.of(requirements))

    def spec(self, task: Task) -> GradeSpec:
        return self.baselines.spec(task)

    def evaluate(self, task: Task, changes: dict[str, str]) -> Evaluation:
        """Grade `changes` (path -> full new text) against visible + hidden tests."""
        self.environment(task)
        baseline = self.baselines.get(task)
        spec = self.baselines.spec(task)
        verdict = self.policy(changes, spec.original, spec.allowed_imports)
        final = {**spec.original, **changes}
        result = None
        canary = Canary.new()
        if verdict.refusal is None and not verdict.syntax_errors:
            result = run_tree(self.runner, task, repo_tree(task, changes, extra={canary.path: canary.source}),
                              budgets=budgets(baseline))
        report = grade(spec, final, sorted(changes), verdict, result, canary)
        return Evaluation(report, verdict, result, spec, changes, task.visible_test_files)

    def run_visible(self, task: Task, changes: dict[str, str]) -> tuple[PolicyVerdict, RunResult | None]:
        """Run the visible tests only (the `run_tests` action): no hidden tests, no grade."""
        self.environment(task)
        spec_original = {p: task.repo[p] for p in task.source_files}
        verdict = self.policy(changes, spec_original, frozenset())
        if verdict.refusal is not None:
            return verdict, None
        return verdict, run_tree(self.runner, task, repo_tree(task, changes, hidden=False),
                                 budgets=budgets(self.baselines.get(task)), tracebacks=True)
