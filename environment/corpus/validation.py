"""`autocoderl tasks validate`: SWE-bench-style gold/buggy checks of every task, run in the sandbox.

Per task: the reference runs twice (flakiness), the buggy repo fails at least one hidden test (or its
declared style check fires), the solution passes every test and clears its declared bandit/ruff
findings, and the graders give the reference solution full marks (the oracle check).
First, the task's environment must provide what its code imports: requirements that cannot be installed,
or third-party imports no requirement provides, are reported as `unmet_requirements`, never as a broken repo.
"""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

from environment.corpus.baselines import Baseline, BaselineError, compute_baseline, read_recorded
from environment.corpus.tasks import Task
from environment.evaluator import Evaluator
from graders.fix_policy import used_by
from sandbox.requirements import RequirementsError, base_modules
from sandbox.types import Runner, RunRequest, RunStatus, SandboxError

PROBE_FILE = "tests/test_zz_requirement_probe.py"


@dataclass(frozen=True)
class TaskVerdict:
    task_id: str
    outcome: str  # ok | broken | flaky | unscorable | unmet_requirements
    detail: str
    baseline: Baseline | None = None
    warnings: tuple[str, ...] = ()
    """What a maintainer should know but does not break the task (e.g. the reference's own lint findings)."""

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


def _problems(task: Task, b: Baseline) -> list[str]:
    spec = task.spec
    problems = []
    if b.solution_failing:
        problems.append(f"solution fails {len(b.solution_failing)} test(s): {b.solution_failing[:3]}")
    if not b.tests:
        problems.append("no tests collected")
    hidden_f2p = set(b.fail_to_pass) & set(b.hidden)
    declared_ruff = {r for bug in spec.bugs for r in bug.ruff}
    declared_bandit = {t for bug in spec.bugs for t in bug.bandit}
    buggy_ruff = {code for code, _ in b.buggy_ruff}
    fixed_ruff = {code for code, _ in b.solution_ruff}
    buggy_bandit = {tid for tid, _, _ in b.buggy_bandit}
    fixed_bandit = {tid for tid, _, _ in b.solution_bandit}
    if spec.no_bug:
        if b.fail_to_pass:
            problems.append("no_bug task has failing tests on its repo")
    elif not hidden_f2p and not (declared_ruff and {c.category for c in spec.bugs} <= {"style", "performance"}):
        problems.append("the buggy repo fails no hidden test")
    problems += [f"declared ruff {r} does not fire on the buggy repo" for r in sorted(declared_ruff - buggy_ruff)]
    problems += [f"declared ruff {r} still fires on the solution" for r in sorted(declared_ruff & fixed_ruff)]
    problems += [f"declared bandit {t} does not fire on the buggy repo" for t in sorted(declared_bandit - buggy_bandit)]
    problems += [f"declared bandit {t} still fires on the solution" for t in sorted(declared_bandit & fixed_bandit)]
    return problems


def _warnings(task: Task, b: Baseline) -> list[str]:
    """Findings the reference fix adds (they join the task's baseline: a fix repeating them is not penalised),
    and a recorded baseline taken on another interpreter than this run's."""
    warnings = []
    new_ruff = Counter(map(tuple, b.solution_ruff)) - Counter(map(tuple, b.buggy_ruff))
    new_bandit = Counter(map(tuple, b.solution_bandit)) - Counter(map(tuple, b.buggy_bandit))
    if new_ruff or new_bandit:
        found = [f"ruff {code} in {path}" for code, path in sorted(new_ruff)] + \
                [f"bandit {tid} in {path}" for tid, path, _ in sorted(new_bandit)]
        warnings.append(f"the reference fix adds {', '.join(found)} (part of the task's baseline, never a new "
                        "finding for an agent's fix)")
    if b.integrity:
        warnings.append("the task's own runs show integrity findings (allowed for this task): "
                        + ", ".join(f"{k} {t}" for k, t in b.integrity))
    recorded = read_recorded(task)
    if recorded is not None and recorded.python != b.python:
        warnings.append(f"baseline.json was recorded on Python {recorded.python}; this runner has {b.python}")
    return warnings


def third_party_imports(task: Task) -> list[str]:
    """Top-level modules the task's code, tests and solution import that are neither stdlib nor the repo's own."""
    local = {path.split("/")[0].removesuffix(".py") for path in task.repo} | {"conftest", "tests", "__future__"}
    names: set[str] = set()
    for tree in (task.repo, task.hidden, task.solution):
        for path, text in tree.items():
            if path.endswith(".py"):
                names |= used_by(text)[0]
    return sorted(n for n in names if n not in sys.stdlib_module_names and n not in local)


def missing_imports(task: Task, runner: Runner) -> list[str]:
    """The third-party modules the task imports that its environment cannot import: those the base set does
    not provide are checked in one probe run in the task's environment (none for the built-in corpus).

    Raises:
        SandboxError: the probe could not run (RequirementsError when the environment cannot be built).
    """
    names = [n for n in third_party_imports(task) if n not in base_modules()]
    if not names:
        return []
    probe = ("import importlib.util\nimport pytest\n\n\n"
             f"@pytest.mark.parametrize('name', {json.dumps(names)})\n"
             "def test_importable(name):\n    assert importlib.util.find_spec(name) is not None\n")
    result = runner.run(RunRequest(files={PROBE_FILE: probe.encode()}, source_files=(), run_tools=False,
                                   label=f"{task.id}-probe", requirements=task.spec.requirements))
    if result.status is not RunStatus.COMPLETED or not result.report:
        raise SandboxError(f"the import probe {result.status.value}: {result.reason}")
    outcomes = ((result.report.get("pytest") or {}).get("result") or {}).get("outcomes", {})
    return [n for n in names if outcomes.get(f"{PROBE_FILE}::test_importable[{n}]") != "passed"]


def validate_task(task: Task, runner: Runner, evaluator: Evaluator) -> TaskVerdict:
    try:
        evaluator.environment(task, wait=True)
        missing = missing_imports(task, runner)
    except RequirementsError as exc:
        return TaskVerdict(task.id, "unmet_requirements", str(exc))
    except SandboxError as exc:
        return TaskVerdict(task.id, "unscorable", str(exc))
    if missing:
        return TaskVerdict(task.id, "unmet_requirements",
                           f"the code imports {', '.join(missing)}, which neither the sandbox base set nor the "
                           "task's requirements provide: add the distribution(s) to task.yaml `requirements:`")
    try:
        first = compute_baseline(task, runner)
        second = compute_baseline(task, runner)
    except (BaselineError, SandboxError) as exc:
        return TaskVerdict(task.id, "unscorable", str(exc))
    near_budget = _near_budget(first, second)
    if near_budget is None:
        return TaskVerdict(task.id, "flaky",
                           f"test outcomes differ between two identical runs: {_differences(first, second)}", first)
    problems = _problems(task, first)
    if not problems and not task.spec.no_bug:
        evaluator.baselines.put(task, first)
        oracle = evaluator.evaluate(task, dict(task.solution))
        if not oracle.report.solved or oracle.report.fix_score < 0.95:
            failing = [f"{c.name}: {c.detail}" for c in oracle.report.checks if c.score not in (None, 1.0)]
            problems.append(f"reference solution scores {oracle.report.fix_score:.2f} "
                            f"({oracle.report.refused or '; '.join(failing)})")
    warnings = tuple(_warnings(task, first))
    if near_budget:
        warnings += (f"buggy test(s) near their time budget, timing out in one of two runs: {near_budget[:3]} "
                     "(either way a correct fix passes them and the buggy code fails the task)",)
    if problems:
        return TaskVerdict(task.id, "broken", "; ".join(problems), first, warnings)
    hangs = f" ({len(first.buggy_timeouts)} time out on the buggy repo)" if first.buggy_timeouts else ""
    return TaskVerdict(task.id, "ok", f"{len(first.fail_to_pass)} fail-to-pass, {len(first.pass_to_pass)} "
                                      f"pass-to-pass{hangs}", first, warnings)


def _near_budget(first: Baseline, second: Baseline) -> list[str] | None:
    """Tests whose class (fail-to-pass or pass-to-pass) differs between two baseline runs only because the buggy
    repo's run of them timed out in one run and not in the other (exponential buggy code near its CPU budget);
    None when anything else differs (real flakiness: the reference's outcomes, or a test failing at random)."""
    if first.solution_failing != second.solution_failing:
        return None
    moved = (set(first.fail_to_pass) ^ set(second.fail_to_pass)) | (set(first.pass_to_pass) ^ set(second.pass_to_pass))
    slow = set(first.buggy_timeouts) ^ set(second.buggy_timeouts)
    return sorted(moved) if moved <= slow else None


def _differences(first: Baseline, second: Baseline, shown: int = 3) -> str:
    """What moved between two baseline runs, test by test, e.g. `tests/test_a.py::test_x (pass-to-pass, then fails
    on the reference)`; the first `shown` of them."""
    def classes(b: Baseline) -> dict[str, str]:
        found = {t: "fails on the reference" for t in b.solution_failing}
        found |= {t: "fail-to-pass" for t in b.fail_to_pass} | {t: "pass-to-pass" for t in b.pass_to_pass}
        return found

    one, two = classes(first), classes(second)
    moved = sorted(t for t in one.keys() | two.keys() if one.get(t) != two.get(t))
    said = [f"{t} ({one.get(t, 'not run')}, then {two.get(t, 'not run')})" for t in moved[:shown]]
    return "; ".join(said) + (f" and {len(moved) - shown} more" if len(moved) > shown else "")


def validate_all(tasks: list[Task], runner: Runner, workers: int = 2,
                 on_done: Callable[[TaskVerdict, float], None] | None = None) -> list[TaskVerdict]:
    """Validate `tasks` with `workers` at once; verdicts in the order of `tasks`. `on_done(verdict, seconds)` is
    called in the caller's thread as each task finishes (progress)."""
    evaluator = Evaluator(runner, max_parallel=workers)

    def timed(task: Task) -> tuple[TaskVerdict, float]:
        started = time.monotonic()
        return validate_task(task, runner, evaluator), time.monotonic() - started

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(timed, task) for task in tasks]
        for future in as_completed(futures):
            if on_done is not None:
                on_done(*future.result())
        return [future.result()[0] for future in futures]
