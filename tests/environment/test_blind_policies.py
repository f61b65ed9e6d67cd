"""Policies that read no code earn (close to) nothing, in both reward modes, on unconstrained resets and on
each difficulty; the oracle earns full marks (README, "Reward": the rules that stop blind policies).

Per difficulty the mean is exact: every buggy task of it is played once (a reset draws them uniformly) and
weighted like a reset would weigh them (clean repos are drawn 8 % of the time; most policies earn nothing
there). Unconstrained resets are sampled over seeds 0..59, as a trainer would draw them.
"""

from __future__ import annotations

import pytest

from environment import rewards as R
from environment.models import ReviewAction

from .policies import BLIND, play_blind

LIMIT = 0.10
EXECUTES = {"run_tests_then_approve"}  # runs the sandbox: fewer resets keep the suite fast


@pytest.fixture(scope="module")
def env(backend):
    from environment.env import AutoCodeEnv

    env = AutoCodeEnv(backend)
    yield env
    env.close()


@pytest.mark.parametrize("mode", ["shaped", "binary"])
@pytest.mark.parametrize("name", sorted(BLIND))
def test_blind_policy_earns_at_most_a_tenth(backend, env, name: str, mode: str) -> None:
    policy = BLIND[name]
    means = {}
    for difficulty in ("easy", "medium", "hard"):
        tasks = [t for t in backend.tasks.select(task_name=difficulty) if not t.spec.no_bug]
        if name in EXECUTES:
            tasks = tasks[::4]
        scores = [play_blind(env, backend, policy, task_id=t.id, reward_mode=mode) for t in tasks]
        means[difficulty] = (1 - R.CLEAN_EPISODE_SHARE) * sum(scores) / len(scores)
        clean = [t for t in backend.tasks.select(task_name=difficulty) if t.spec.no_bug]
        if clean:
            on_clean = [play_blind(env, backend, policy, task_id=t.id, reward_mode=mode) for t in clean]
            means[difficulty] += R.CLEAN_EPISODE_SHARE * sum(on_clean) / len(on_clean)
    seeds = range(0, 60, 4) if name in EXECUTES else range(60)
    unconstrained = [play_blind(env, backend, policy, seed=seed, reward_mode=mode) for seed in seeds]
    means["unconstrained"] = sum(unconstrained) / len(unconstrained)
    assert all(mean <= LIMIT for mean in means.values()), means


def test_a_located_report_earns_and_a_guess_costs(backend, env) -> None:
    task = next(t for t in backend.tasks.select(task_name="medium") if not t.spec.no_bug)
    bug = task.spec.bugs[0]
    env.reset(task_id=task.id)
    far = env.step(ReviewAction(action_type="detect_bug", bug_category=bug.category, file=bug.file,
                                line=bug.line + R.LINE_TOLERANCE + 5))
    assert far.reward == 0.0 and far.reward_breakdown["penalties"] < 0 and far.bugs_found == 0
    severity = env.step(ReviewAction(action_type="predict_severity", severity=task.spec.max_severity))
    assert severity.reward_breakdown["severity"] == 0.0, "severity counts only after a bug was detected"
    hit = env.step(ReviewAction(action_type="detect_bug", bug_category=bug.category, file=bug.file, line=bug.line))
    assert hit.reward > 0 and hit.bugs_found == 1
