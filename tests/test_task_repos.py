"""The task corpus: the contract holds for every folder, the curriculum quotas are met, nothing the
agent can read leaks an answer, and every task validates for real in the sandbox (gold passes,
buggy fails, no flakiness, oracle gets full marks) against its recorded baseline."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from environment.corpus.baselines import read_recorded
from environment.corpus.tasks import BUILTIN_TASKS_DIR, load_tasks, task_dirs
from environment.corpus.validation import validate_all
from sandbox.interpreter import same_build
from sandbox.local import LocalRunner
from tests.conftest import docker_runner_or_skip

TASKS = load_tasks([BUILTIN_TASKS_DIR])
BUGGY = [t for t in TASKS.tasks.values() if not t.spec.no_bug]


def test_every_folder_honours_the_contract() -> None:
    assert TASKS.problems == {}


def test_corpus_quotas() -> None:
    primary = Counter(t.spec.primary_category for t in BUGGY)
    assert len(BUGGY) >= 60
    for category, minimum in {"syntax": 8, "logic": 10, "security": 24, "performance": 8, "style": 8}.items():
        assert primary[category] >= minimum, (category, primary)
    multi = [t for t in BUGGY if t.spec.difficulty == "hard" and len({b.file for b in t.spec.bugs}) >= 2
             and len(t.spec.bugs) >= 2]
    assert len(multi) >= 12
    security = [t for t in BUGGY if t.spec.primary_category == "security"]
    assert {t.spec.tier for t in security} == {1, 2, 3, 4}
    assert all(t.spec.cwes for t in security)
    clean = [t for t in TASKS.tasks.values() if t.spec.no_bug]
    assert len(clean) >= 8
    assert {t.spec.split for t in TASKS.tasks.values()} == {"train", "eval"}


def test_families_split_cleanly() -> None:
    splits: dict[str, set[str]] = {}
    for task in TASKS.tasks.values():
        splits.setdefault(task.spec.family or task.id, set()).add(task.spec.split)
    assert all(len(s) == 1 for s in splits.values()), "a template family is in both splits"


@pytest.mark.parametrize("task_id", sorted(TASKS.tasks))
def test_agent_visible_repo_leaks_nothing(task_id: str) -> None:
    task = TASKS.tasks[task_id]
    hidden_names = {m for text in task.hidden.values() for m in re.findall(r"def (test_\w+)", text)}
    visible = "\n".join(task.repo.values())
    assert not {n for n in hidden_names if re.search(rf"\b{n}\b", visible)}, "hidden test names in the repo"
    assert not re.search(r"#\s*(BUG|FIXME|vulnerab|insecure|TODO:? fix)", visible, re.I)
    for path, text in task.solution.items():
        assert text != task.repo[path], f"solution/{path} changes nothing"


VALIDATIONS: dict[str, list] = {}


def _validate(kind: str) -> list:
    """The whole corpus validated with one runner (once per session)."""
    if kind not in VALIDATIONS:
        runner = LocalRunner() if kind == "local" else docker_runner_or_skip(pool_size=2)
        try:
            VALIDATIONS[kind] = validate_all(sorted(TASKS.tasks.values(), key=lambda t: t.id), runner, workers=2)
        finally:
            runner.close()
    return VALIDATIONS[kind]


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["local", pytest.param("docker", marks=pytest.mark.docker)])
def test_every_task_validates_in_the_sandbox_and_matches_its_record(kind: str) -> None:
    """A task that only one runner can serve is a failure, not a skip."""
    verdicts = _validate(kind)
    failed = {v.task_id: f"{v.outcome}: {v.detail}" for v in verdicts if not v.ok}
    assert failed == {}
    for verdict in verdicts:
        recorded = read_recorded(TASKS.tasks[verdict.task_id])
        assert recorded is not None, f"{verdict.task_id}: baseline.json missing or stale (run tasks validate --record)"
        assert (recorded.fail_to_pass, recorded.pass_to_pass) == (verdict.baseline.fail_to_pass,
                                                                 verdict.baseline.pass_to_pass), verdict.task_id
        assert same_build(recorded.python, verdict.baseline.python), (verdict.task_id, recorded.python)
        unexpected = [w for w in verdict.warnings if "integrity" in w or "Python" in w]
        assert not unexpected, (verdict.task_id, unexpected)


@pytest.mark.slow
@pytest.mark.docker
def test_both_runners_give_the_same_verdicts_task_by_task() -> None:
    local, docker = ({v.task_id: v for v in _validate(kind)} for kind in ("local", "docker"))
    assert set(local) == set(docker)
    for task_id, verdict in local.items():
        other = docker[task_id]
        assert (verdict.outcome, verdict.baseline.fail_to_pass, verdict.baseline.pass_to_pass,
                verdict.baseline.solution_failing, verdict.baseline.python) == (
            other.outcome, other.baseline.fail_to_pass, other.baseline.pass_to_pass,
            other.baseline.solution_failing, other.baseline.python), task_id


def test_a_tasks_folder_named_twice_loads_once(monkeypatch) -> None:
    """--tasks-dir and AUTOCODERL_TASKS_DIR naming the same folder (spelled differently) load it once:
    no task of it is reported as a duplicate."""
    outside = Path(__file__).resolve().parent / "fixtures" / "outside_tasks"
    monkeypatch.setenv("AUTOCODERL_TASKS_DIR", str(outside))
    dirs = task_dirs([f"{outside}/", outside / ".." / outside.name])
    loaded = load_tasks(dirs)
    assert [d.resolve() for d in dirs] == [BUILTIN_TASKS_DIR.resolve(), outside.resolve()]
    assert not loaded.problems and {"sec-jwt-session-verify", "logic-jwt-refresh-window"} <= set(loaded.tasks)


def test_a_buggy_test_near_its_budget_is_no_flakiness_but_a_random_failure_is() -> None:
    """Two baseline runs may disagree on a buggy test that runs close to its CPU budget (exponential buggy code
    on a loaded machine): either class grades the same fixes the same way, so validation warns and goes on.
    Any other difference (the reference's outcomes, a buggy test failing at random) is flakiness."""
    from dataclasses import replace

    from environment.corpus.baselines import Baseline
    from environment.corpus.validation import _near_budget

    first = Baseline(task_hash="h", python="3.11.2", tests=["t::a", "t::b", "t::c"], fail_to_pass=["t::a", "t::b"],
                     pass_to_pass=["t::c"], hidden=[], durations={}, buggy_bandit=[], buggy_ruff=[],
                     solution_bandit=[], solution_ruff=[], solution_failing=[], buggy_timeouts=["t::b"], integrity=[])
    slow_passed = replace(first, fail_to_pass=["t::a"], pass_to_pass=["t::b", "t::c"], buggy_timeouts=[])
    assert _near_budget(first, first) == []
    assert _near_budget(first, slow_passed) == ["t::b"]
    random_failure = replace(first, fail_to_pass=["t::a", "t::b", "t::c"], pass_to_pass=[])
    assert _near_budget(first, random_failure) is None
    assert _near_budget(first, replace(first, solution_failing=["t::c"])) is None


def test_a_task_whose_tests_pass_at_random_is_flaky_and_the_verdict_names_them(tmp_path) -> None:
    """A real validation of a task with coin-toss hidden tests: two runs disagree, the verdict is `flaky`
    (never ok or broken), and it names the tests that moved and how, so a maintainer can find them."""
    import shutil

    from environment.corpus.tasks import load_task

    folder = tmp_path / "logic-bulk-discount"
    shutil.copytree(BUILTIN_TASKS_DIR / "logic-bulk-discount", folder)
    (folder / "baseline.json").unlink()
    (folder / "hidden_tests" / "test_coin_toss.py").write_text(
        "import os\n\nimport pytest\n\n\n@pytest.mark.parametrize('i', range(24))\n"
        "def test_coin(i):\n    assert os.urandom(1)[0] < 128\n")
    runner = LocalRunner()
    try:
        [verdict] = validate_all([load_task(folder)], runner, workers=1)
    finally:
        runner.close()
    assert verdict.outcome == "flaky", verdict
    kind = "(fails on the reference|fail-to-pass|pass-to-pass|not run)"
    assert re.search(rf"tests/test_coin_toss\.py::test_coin\[\d+\] \({kind}, then {kind}\)", verdict.detail), \
        verdict.detail
    assert "more" in verdict.detail and len(verdict.detail) < 400
