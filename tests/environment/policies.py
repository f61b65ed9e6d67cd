"""Scripted review policies used by the tests: an oracle that really fixes the bug, and the
degenerate policies a reward hacker would try (they must score far below the oracle)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from environment.env import AutoCodeEnv, Backend
from environment.models import ReviewAction
from environment.tasks import CATEGORIES, Task

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
    spec = task.spec
    if spec.no_bug:
        return run(env, task, [{"action_type": "approve_code"}], **reset)
    actions = [{"action_type": "detect_bug", "bug_category": b.category, "file": b.file, "line": b.line}
               for b in spec.bugs]
    if spec.difficulty != "easy":
        actions += [{"action_type": "suggest_fix", "files": dict(task.solution)},
                    {"action_type": "apply_fix", "files": dict(task.solution)}]
    actions += [{"action_type": "predict_severity", "severity": spec.max_severity},
                {"action_type": "request_changes"}]
    return run(env, task, actions, **reset)


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
