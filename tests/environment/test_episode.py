"""Episode rules on the in-process environment with the real local runner."""

from __future__ import annotations

import json

import pytest

from environment.corpus.curriculum import SecurityCurriculum
from environment.env import EnvError
from environment.models import ReviewAction

from .policies import first_task, oracle


def test_same_seed_same_task_and_observation(make_env) -> None:
    env = make_env()
    seen = set()
    for seed in range(6):
        first = env.reset(seed=seed, task_name="medium").model_dump()
        second = env.reset(seed=seed, task_name="medium").model_dump()
        assert first == second
        seen.add(first["task_id"])
    assert len(seen) >= 2


def test_about_one_episode_in_ten_is_a_clean_repo(backend, make_env) -> None:
    env = make_env()
    clean = sum(backend.tasks.select(task_id=env.reset(seed=seed).task_id)[0].spec.no_bug for seed in range(200))
    assert 10 <= clean <= 32


def test_episode_id_comes_back_in_state(make_env) -> None:
    env = make_env()
    env.reset(seed=1, episode_id="episode-42")
    assert env.state.episode_id == "episode-42" and env.state.step_count == 0


def test_full_hard_episode_rewards_come_from_real_test_runs(backend, make_env) -> None:
    task = first_task(backend, "multi-", task_name="hard")
    env = make_env()
    observation = env.reset(task_id=task.id)
    assert observation.multi_bug and observation.bugs_total == len(task.spec.bugs) >= 2
    rewards = []
    for bug in task.spec.bugs:
        step = env.step(ReviewAction(action_type="detect_bug", bug_category=bug.category, file=bug.file,
                                     line=bug.line))
        rewards.append(step.reward)
    broken = env.step(ReviewAction(action_type="suggest_fix", files={task.spec.bugs[0].file: task.repo[
        task.spec.bugs[0].file].replace("\n", "\n\n", 1)}))
    assert broken.execution is not None and broken.execution.solved is False
    rewards.append(broken.reward)
    applied = env.step(ReviewAction(action_type="apply_fix", files=dict(task.solution)))
    rewards.append(applied.reward)
    report = applied.execution
    assert report is not None and report.kind == "graded" and report.status == "completed"
    assert report.hidden_total and report.hidden_passed == report.hidden_total
    assert report.solved and report.fix_score >= 0.95 and report.duration_s > 0
    assert all(outcome == "passed" for outcome in report.visible_tests.values())
    severity = env.step(ReviewAction(action_type="predict_severity", severity=task.spec.max_severity))
    rewards.append(severity.reward)
    final = env.step(ReviewAction(action_type="approve_code"))
    rewards.append(final.reward)
    assert final.done and final.solved and final.done_reason == "verdict"
    assert abs(sum(rewards) - final.episode_reward) < 1e-6
    assert final.reward_breakdown["apply"] == pytest.approx(0.30, abs=0.02)


def test_partial_fix_gets_partial_credit(backend, make_env) -> None:
    task = first_task(backend, "multi-", task_name="hard")
    env = make_env()
    env.reset(task_id=task.id)
    first_file = task.spec.bugs[0].file
    partial = {first_file: task.solution[first_file]} if first_file in task.solution else {}
    assert partial, "the first bug's file has a reference fix"
    step = env.step(ReviewAction(action_type="apply_fix", files=partial))
    assert 0.0 < step.execution.fix_score < 1.0 and not step.execution.solved


def test_binary_mode_pays_only_when_solved(backend, make_env) -> None:
    task = first_task(backend, "logic-")
    env = make_env()
    env.reset(task_id=task.id, reward_mode="binary")
    rewards = [env.step(ReviewAction(action_type="apply_fix", files=dict(task.solution))).reward]
    rewards.append(env.step(ReviewAction(action_type="request_changes")).reward)
    assert rewards == [0.0, 1.0] and env.state.episode_reward == 1.0


def test_clean_repo_must_be_approved(backend, make_env) -> None:
    task = next(t for t in backend.tasks.tasks.values() if t.spec.no_bug)
    env = make_env()
    observation = env.reset(task_id=task.id)
    assert observation.bugs_total == 1 and not observation.multi_bug  # decoys look like every other task
    blind = env.step(ReviewAction(action_type="approve_code"))
    assert blind.episode_reward == 0.0 and not blind.solved, "a verdict without evidence earns nothing"
    env.reset(task_id=task.id)
    env.step(ReviewAction(action_type="run_tests"))
    approved = env.step(ReviewAction(action_type="approve_code"))
    assert approved.episode_reward == 1.0 and approved.solved
    env.reset(task_id=task.id)
    env.step(ReviewAction(action_type="run_tests"))
    assert env.step(ReviewAction(action_type="request_changes")).episode_reward == 0.0


def test_observations_and_state_reveal_no_answer(backend, make_env) -> None:
    task = first_task(backend, "sec-", tier=3)
    env = make_env()
    frames = [env.reset(task_id=task.id).model_dump_json()]
    bug = task.spec.bugs[0]
    frames.append(env.step(ReviewAction(action_type="apply_fix", files={
        bug.file: task.repo[bug.file] + "\n"})).model_dump_json())
    frames.append(env.step(ReviewAction(action_type="run_tests")).model_dump_json())
    frames.append(env.state.model_dump_json())
    text = "\n".join(frames)
    assert task.id not in text and bug.cwe not in text
    for hidden_file, source in task.hidden.items():
        assert hidden_file not in text
        for name in (line.split("(")[0][4:] for line in source.splitlines() if line.startswith("def test_")):
            assert name not in text, f"hidden test {name} leaked"
    solution_only = {line.strip() for p, s in task.solution.items() for line in s.splitlines()
                     if line.strip() and line not in task.repo[p]}
    assert not [line for line in solution_only if len(line) > 12 and line in text]
    assert "canary" not in text


def test_unknown_reset_option_is_rejected(make_env) -> None:
    env = make_env()
    with pytest.raises(EnvError) as excinfo:
        env.reset(colour="blue")
    assert excinfo.value.code == "INVALID_RESET"


def test_curriculum_levels_up_after_solved_window(backend, make_env) -> None:
    env = make_env()
    options = {"track": "security", "window": 2, "threshold": 1.0}
    for _ in range(2):
        observation = env.reset(seed=0, curriculum=options)
        assert env.state.curriculum_tier == 1
        task = backend.tasks.select(task_id=observation.task_id)[0]
        assert task.spec.tier == 1
        episode = env._episode  # noqa: SLF001 - force a solved episode (easy: all found; else a solving fix)
        episode.found, episode.solved_fix = set(range(len(task.spec.bugs))), True
        episode.severity_guess, episode.severity_scored = task.spec.max_severity, True
        env.step(ReviewAction(action_type="request_changes"))
    env.reset(seed=0, curriculum=options)
    assert env.state.curriculum_tier == 2
    assert json.loads(env.state.model_dump_json())["curriculum_tier"] == 2


def test_curriculum_sampler_unit() -> None:
    sampler = SecurityCurriculum(window=3, threshold=0.66)
    for solved in (True, False, True):
        sampler.record(solved)
    assert sampler.tier == 2 and sampler.solve_rate == 0.0
    with pytest.raises(ValueError):
        SecurityCurriculum(window=0)


def test_oracle_policy_helper_round_trip(backend, make_env) -> None:
    assert oracle(make_env(), first_task(backend, "logic-")) >= 0.95
