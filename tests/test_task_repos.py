"""The task corpus: the contract holds for every folder, the curriculum quotas are met, nothing the
agent can read leaks an answer, and every task validates for real in the sandbox (gold passes,
buggy fails, no flakiness, oracle gets full marks) against its recorded baseline."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from environment.baselines import read_recorded
from environment.tasks import BUILTIN_TASKS_DIR, load_tasks, task_dirs
from environment.validation import validate_all
from sandbox.local import LocalRunner

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


@pytest.mark.slow
def test_every_task_validates_in_the_sandbox_and_matches_its_record() -> None:
    verdicts = validate_all(sorted(TASKS.tasks.values(), key=lambda t: t.id), LocalRunner(), workers=2)
    failed = {v.task_id: f"{v.outcome}: {v.detail}" for v in verdicts if not v.ok}
    assert failed == {}
    for verdict in verdicts:
        recorded = read_recorded(TASKS.tasks[verdict.task_id])
        assert recorded is not None, f"{verdict.task_id}: baseline.json missing or stale (run tasks validate --record)"
        assert (recorded.fail_to_pass, recorded.pass_to_pass) == (verdict.baseline.fail_to_pass,
                                                                 verdict.baseline.pass_to_pass), verdict.task_id


def test_a_tasks_folder_named_twice_loads_once(monkeypatch) -> None:
    """--tasks-dir and AUTOCODERL_TASKS_DIR naming the same folder (spelled differently) load it once:
    no task of it is reported as a duplicate."""
    outside = Path(__file__).resolve().parent / "fixtures" / "outside_tasks"
    monkeypatch.setenv("AUTOCODERL_TASKS_DIR", str(outside))
    dirs = task_dirs([f"{outside}/", outside / ".." / outside.name])
    loaded = load_tasks(dirs)
    assert [d.resolve() for d in dirs] == [BUILTIN_TASKS_DIR.resolve(), outside.resolve()]
    assert not loaded.problems and {"sec-jwt-session-verify", "logic-jwt-refresh-window"} <= set(loaded.tasks)
