"""The gymnasium wrapper: passes gymnasium's env checker, same seed -> same observation, and a
scripted episode whose rewards, info and terminated/truncated flags follow the environment."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from environment.corpus.tasks import load_task

ROOT = Path(__file__).resolve().parent.parent

gymnasium = pytest.importorskip("gymnasium")

from gymnasium.utils.env_checker import check_env  # noqa: E402

from environment.trainers.gym_env import ENV_ID, INVALID_ACTION_PENALTY, CodeReviewGymEnv  # noqa: E402


@pytest.fixture
def env():
    env = gymnasium.make(ENV_ID, runner="local")
    yield env
    env.close()


def test_registered_and_passes_check_env(env) -> None:
    assert ENV_ID in gymnasium.registry
    assert isinstance(env.unwrapped, CodeReviewGymEnv)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no checker warning either
        check_env(env.unwrapped)


def test_same_seed_same_observation_and_task(env) -> None:
    first, info_1 = env.reset(seed=11)
    env.step('{"action_type": "view_file", "file": "nope.py"}')
    second, info_2 = env.reset(seed=11)
    assert first == second and info_1["task_id"] == info_2["task_id"]
    assert info_1["task_seed"] == info_2["task_seed"]
    others = {env.reset(seed=s)[1]["task_id"] for s in range(12)}
    assert len(others) > 1  # seeds actually spread over tasks
    unseeded = [env.reset()[0] for _ in range(2)]
    env.reset(seed=11)
    assert [env.reset()[0] for _ in range(2)] == unseeded  # the seeded stream continues deterministically


def test_scripted_easy_episode_and_invalid_actions(env) -> None:
    obs, info = env.reset(seed=0, options={"task_id": "sec-orders-sql-injection"})
    assert info["max_steps"] == 3 and info["exec_status"] == "not_run" and "Reply with one JSON action" in obs
    assert info["task_id"].startswith("t-") and "sql" not in info["task_id"]

    obs, reward, terminated, truncated, info = env.step("this is not an action")
    assert reward == INVALID_ACTION_PENALTY and not terminated and not truncated
    assert info["error"]["code"] == "INVALID_ACTION" and info["invalid_actions"] == 1 and info["step"] == 1
    assert "not carried out" in obs

    line = load_task(ROOT / "task_repos" / "sec-orders-sql-injection").spec.bugs[0].line
    action = {"action_type": "detect_bug", "bug_category": "security", "file": "orders/store.py", "line": line}
    obs, reward, terminated, truncated, info = env.step("I found it: " + json.dumps(action))
    assert reward > 0 and info["reward_components"]["detect"] > 0 and info["error"] is None
    assert info["action_type"] == "detect_bug" and info["env_step"] == 1

    # the budget is 3 steps and one was spent on the invalid reply: this step truncates
    obs, reward, terminated, truncated, info = env.step({"action_type": "predict_severity", "severity": "critical"})
    assert truncated and not terminated and info["done_reason"] == "max_steps"
    assert isinstance(reward, float)
    _, reward, terminated, truncated, info = env.step('{"action_type": "request_changes"}')
    assert reward == 0.0 and info["error"]["code"] == "EPISODE_DONE"


def test_verdict_terminates(env) -> None:
    env.reset(seed=3, options={"task_name": "easy"})
    _, reward, terminated, truncated, info = env.step('{"action_type": "request_changes"}')
    assert terminated and not truncated and info["done_reason"] == "verdict"
    assert info["episode_reward"] == pytest.approx(max(0.0, reward))


def test_bad_reset_options_raise() -> None:
    env = CodeReviewGymEnv(runner="local")
    with pytest.raises(ValueError, match="unknown reset option"):
        env.reset(options={"difficulty": "easy"})
    with pytest.raises(ValueError, match="NO_MATCHING_TASK"):
        env.reset(options={"task_id": "no-such-task"})
    with pytest.raises(gymnasium.error.ResetNeeded):
        env.step('{"action_type": "request_changes"}')
    env.close()
    env.close()


def test_remote_session_gives_the_same_observation(server_url: str) -> None:
    local = CodeReviewGymEnv(runner="local")
    remote = gymnasium.make(ENV_ID, base_url=server_url)
    try:
        assert remote.reset(seed=21)[0] == local.reset(seed=21)[0]
        files = remote.unwrapped._last.files
        obs, reward, terminated, truncated, info = remote.step(json.dumps({"action_type": "view_file",
                                                                           "file": files[-1]}))
        assert info["env_step"] == 1 and f"File {files[-1]}" in obs and not (terminated or truncated)
        _, reward, _, _, info = remote.step('{"action_type": "severity"}')
        assert reward == INVALID_ACTION_PENALTY and info["error"]["code"] == "INVALID_ACTION"
    finally:
        remote.close()
        local.close()


def test_steps_answer_lean_unless_asked_for_full_observations() -> None:
    lean, full = CodeReviewGymEnv(runner="local"), CodeReviewGymEnv(runner="local", answers="full")
    try:
        first, _ = lean.reset(seed=5, options={"task_id": "logic-bulk-discount"})
        assert first == full.reset(seed=5, options={"task_id": "logic-bulk-discount"})[0]
        assert "Pull request:" in first and "13|" in first
        step = '{"action_type": "detect_bug", "bug_category": "logic", "file": "shop/pricing.py", "line": 13}'
        answer, reward, *_ = lean.step(step)
        whole, same_reward, *_ = full.step(step)
        assert reward == same_reward and "Issue confirmed" in answer and "Issue confirmed" in whole
        assert "Pull request:" not in answer and "13|" not in answer and len(answer) < len(whole) / 3
        assert "Pull request:" in whole and "13|" in whole
        rejected, *_ = lean.step("no action here")
        assert rejected.startswith("Your last reply was not carried out") and "Pull request:" not in rejected
    finally:
        lean.close()
        full.close()
    with pytest.raises(ValueError, match="answers"):
        CodeReviewGymEnv(runner="local", answers="short")
