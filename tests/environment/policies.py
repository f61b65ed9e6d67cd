"""Scripted review policies used by the tests: an oracle that really fixes the bug, and the
degenerate policies a reward hacker would try (they must score far below the oracle)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from environment.corpus.tasks import CATEGORIES, Task
from environment.env import AutoCodeEnv, Backend
from environment.evaluation.agents import oracle_actions
from environment.models import ReviewAction, ReviewObservation

Policy = Callable[[AutoCodeEnv, Task], float]


def first_task(backend: Backend, prefix: str, **filters) -> Task:
    for task in backend.tasks.select(**filters):
        if task.id.startswith(prefix):
            return task
    pytest.fail(f"no task with prefix {prefix!r} and {filters}")


def run(env: AutoCodeEnv, task: Task, actions: list[dict], **reset) -> float:
    """Play actions until done; returns the episode reward (the sum of step rewards)."""
    env.reset(task_id=task.id, seed=0, **reset)
    total = 0.0
    for action in actions:
        obs = env.step(ReviewAction(**action))
        total += obs.reward
        if obs.done:
            break
    assert abs(total - env.state.episode_reward) < 1e-6 or env.state.reward_mode == "binary"
    return total


def oracle(env: AutoCodeEnv, task: Task, **reset) -> float:
    return run(env, task, oracle_actions(task), **reset)


def approve_everything(env: AutoCodeEnv, task: Task) -> float:
    return run(env, task, [{"action_type": "approve_code"}])


def always_request_changes(env: AutoCodeEnv, task: Task) -> float:
    return run(env, task, [{"action_type": "request_changes"}])


def name_every_category(env: AutoCodeEnv, task: Task) -> float:
    return run(env, task, [{"action_type": "detect_bug", "bug_category": c} for c in CATEGORIES])


def probe_line_by_line(env: AutoCodeEnv, task: Task) -> float:
    entry = task.entry_file
    return run(env, task, [{"action_type": "detect_bug", "bug_category": "logic", "file": entry, "line": n}
                           for n in range(1, 40, 2)])


def resubmit_buggy_code(env: AutoCodeEnv, task: Task) -> float:
    path = task.entry_file
    original = task.repo[path]
    return run(env, task, [{"action_type": "apply_fix", "files": {path: original}},
                           {"action_type": "apply_fix", "files": {path: original + "\n"}},
                           {"action_type": "suggest_fix", "files": {path: original.replace("\n\n", "\n\n\n", 1)}},
                           {"action_type": "request_changes"}])


def keyword_stuffing(env: AutoCodeEnv, task: Task) -> float:
    path = task.entry_file
    words = "fix bug sanitize escape parameterized validate bounds off-by-one hmac compare_digest safe_load"
    stuffed = f"# {words}\n" + task.repo[path]
    return run(env, task, [{"action_type": "suggest_fix", "files": {path: stuffed}, "explanation": words * 20},
                           {"action_type": "apply_fix", "files": {path: stuffed}, "explanation": words * 20},
                           {"action_type": "predict_severity", "severity": "high"},
                           {"action_type": "request_changes", "comment": words}])


DEGENERATE: dict[str, Policy] = {
    "approve_everything": approve_everything,
    "always_request_changes": always_request_changes,
    "name_every_category": name_every_category,
    "probe_line_by_line": probe_line_by_line,
    "resubmit_buggy_code": resubmit_buggy_code,
    "keyword_stuffing": keyword_stuffing,
}


# ---- content-blind policies: they look at nothing but the observation's shape ----------------------

def _middle_line(observation) -> int:
    return max(1, (observation.code_snippet.count("\n") + 2) // 2)


def _prior(backend: Backend, difficulty: str) -> str:
    """The commonest bug category of a difficulty: a prior a reward hacker estimates from the public corpus."""
    counts = Counter(t.spec.primary_category for t in backend.tasks.tasks.values()
                     if not t.spec.no_bug and t.spec.difficulty == difficulty)
    return counts.most_common(1)[0][0]


def blind_approve_all(backend, observation) -> list[dict]:
    return [{"action_type": "approve_code"}]


def blind_severity_only(backend, observation) -> list[dict]:
    return [{"action_type": "predict_severity", "severity": "high"}, {"action_type": "request_changes"}]


def blind_category_prior(backend, observation) -> list[dict]:
    return [{"action_type": "detect_bug", "bug_category": _prior(backend, observation.task_difficulty),
             "file": observation.file_name, "line": _middle_line(observation)},
            {"action_type": "predict_severity", "severity": "high"}, {"action_type": "request_changes"}]


def blind_category_sweep(backend, observation) -> list[dict]:
    detections = [{"action_type": "detect_bug", "bug_category": c, "file": observation.file_name,
                   "line": _middle_line(observation)} for c in CATEGORIES]
    return detections + [{"action_type": "predict_severity", "severity": "high"}, {"action_type": "request_changes"}]


def blind_tests_then_approve(backend, observation) -> list[dict]:
    return [{"action_type": "run_tests"}, {"action_type": "approve_code"}]


BLIND: dict[str, Callable[[Backend, ReviewObservation], list[dict]]] = {
    "approve_all": blind_approve_all,
    "severity_only": blind_severity_only,
    "category_prior_on_shown_file": blind_category_prior,
    "category_sweep": blind_category_sweep,
    "run_tests_then_approve": blind_tests_then_approve,
}


def play_blind(env: AutoCodeEnv, backend: Backend, policy: Callable, **reset) -> float:
    """Reset with `reset` options and play `policy` (planned from the first observation only) to the end."""
    observation = env.reset(**reset)
    total = 0.0
    for action in policy(backend, observation):
        observation = env.step(ReviewAction(**action))
        total += observation.reward
        if observation.done:
            break
    return env.state.episode_reward
