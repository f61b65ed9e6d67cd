"""A policy that fixes nothing must score far below one that really fixes the bug."""

from __future__ import annotations

import pytest

from environment.corpus.tasks import Task

from .policies import DEGENERATE, first_task, oracle

PREFIXES = [("logic-", {}), ("sec-", {"tier": 1}), ("sec-", {"tier": 3}), ("syn-", {}), ("sty-", {}),
            ("perf-", {}), ("multi-", {"task_name": "hard"})]


@pytest.fixture(scope="module")
def tasks(backend) -> list[Task]:
    return [first_task(backend, prefix, **filters) for prefix, filters in PREFIXES]


@pytest.fixture(scope="module")
def oracle_mean(backend, tasks) -> float:
    from environment.env import AutoCodeEnv

    env = AutoCodeEnv(backend)
    scores = [oracle(env, task) for task in tasks]
    env.close()
    assert min(scores) >= 0.9, dict(zip([t.id for t in tasks], scores, strict=True))
    return sum(scores) / len(scores)


def test_oracle_solves_every_sample_task(oracle_mean: float) -> None:
    assert oracle_mean >= 0.95


@pytest.mark.parametrize("name", sorted(DEGENERATE))
def test_degenerate_policy_scores_far_below_the_oracle(name: str, make_env, tasks, oracle_mean: float) -> None:
    env = make_env()
    scores = {task.id: DEGENERATE[name](env, task) for task in tasks}
    mean = sum(scores.values()) / len(scores)
    assert mean <= 0.25 * oracle_mean, scores
