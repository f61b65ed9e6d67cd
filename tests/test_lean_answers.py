"""Lean tool answers: the first message holds the whole task, every answer only what its action changed
(never the PR or the code again, but the file for view_file and the execution summary of a run); the
openai agent sends exactly that conversation; and an agent that sees only this text (the `reader`) earns
what the oracle earns on every task of the corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from environment.config import load_settings
from environment.corpus.tasks import load_tasks
from environment.env import AutoCodeEnv, Backend
from environment.evaluation.agents import ReaderAgent, TextFacts
from environment.evaluation.llm import OpenAIAgent, answer_text, observation_text
from environment.evaluation.run import EvalConfig, run_eval
from environment.models import ReviewAction
from sandbox.local import LocalRunner

from .openai_stub import StubLLM

HARD = "multi-api-gateway"  # entry gateway/auth.py; a second bug in gateway/resolver.py


@pytest.fixture(scope="module")
def backend() -> Backend:
    settings = load_settings({"AUTOCODERL_RUNNER": "local", "AUTOCODERL_MAX_PARALLEL_RUNS": "2"})
    return Backend(settings=settings, tasks=load_tasks(), runner=LocalRunner())


def test_answers_carry_only_what_the_step_changed(backend: Backend) -> None:
    task = backend.tasks.select(task_id=HARD)[0]
    env = AutoCodeEnv(backend)
    first = env.reset(task_id=HARD, seed=0)
    entry, other = task.entry_file, next(b.file for b in task.spec.bugs if b.file != task.entry_file)
    text = observation_text(first)
    assert task.spec.description.strip().splitlines()[0] in text and "Repository files:" in text
    assert f"File {entry}" in text and "This repo has 2 bugs" in text
    entry_line = next(line for line in task.repo[entry].splitlines() if len(line.strip()) > 20)

    answers = {}
    for action in [{"action_type": "view_file", "file": other},
                   {"action_type": "detect_bug", "bug_category": task.spec.bugs[0].category,
                    "file": task.spec.bugs[0].file, "line": task.spec.bugs[0].line},
                   {"action_type": "run_tests"},
                   {"action_type": "apply_fix", "files": dict(task.solution)},
                   {"action_type": "request_changes"}]:
        obs = env.step(ReviewAction(**action))
        answers[(action["action_type"], action.get("file"))] = (obs, answer_text(obs))

    for (kind, _), (obs, answer) in answers.items():
        assert task.spec.description.strip().splitlines()[0] not in answer and "Repository files" not in answer
        assert entry_line not in answer  # the code of the first message is never repeated
        assert answer.startswith(f"Step {obs.step_number}/{obs.max_steps}. Your last action ({kind}): ")
        assert f"episode total {obs.episode_reward:.2f}" in answer
        assert ("Last execution" in answer) == (kind in ("run_tests", "apply_fix"))
    viewed_obs, viewed = answers[("view_file", other)]
    assert f"File {other}" in viewed and task.repo[other].splitlines()[1] in viewed
    assert "Bugs reported so far: 1 of 2." in answers[("detect_bug", task.spec.bugs[0].file)][1]
    assert "visible tests:" in answers[("run_tests", None)][1]
    applied = answers[("apply_fix", None)][1]
    assert "hidden tests:" in applied and "fix score: 1.00, solved: True" in applied
    final = answers[("request_changes", None)][1]
    assert "The review is over (verdict); solved: yes" in final and "Reply with one JSON action" not in final
    assert all("Reply with one JSON action" in a for (k, _), (_, a) in answers.items() if k != "request_changes")
    assert sum(len(a) for _, a in answers.values()) < sum(len(observation_text(o)) for o, _ in answers.values()) / 2


def test_openai_agent_sends_the_task_once_then_lean_answers(backend: Backend) -> None:
    env = AutoCodeEnv(backend)
    obs = env.reset(task_id="logic-bulk-discount", seed=0)
    script = ['{"action_type": "detect_bug", "bug_category": "logic", "file": "shop/pricing.py", "line": 13}',
              "no idea", '{"action_type": "run_tests"}', '{"action_type": "request_changes"}']
    with StubLLM(script) as stub:
        policy = OpenAIAgent(model="m", base_url=stub.base_url, api_key="x", max_retries=0).new_episode(None, 0)
        while not obs.done:
            obs = env.step(policy.act(obs))
    first, *later = stub.requests
    assert [m["role"] for m in first["messages"]] == ["system", "user"]
    assert "Pull request:" in first["messages"][1]["content"] and "13|" in first["messages"][1]["content"]
    last = later[-1]["messages"]
    assert [m["role"] for m in last] == ["system"] + ["user", "assistant"] * 3 + ["user"]  # nothing dropped
    assert last[1] == first["messages"][1]
    for message in last[2:]:
        assert "Pull request:" not in message["content"] and "13|" not in message["content"]
    assert "not usable" in last[5]["content"] and "visible tests:" in last[-1]["content"]


def test_text_facts_read_the_rendering() -> None:
    facts = TextFacts()
    facts.read("Task t-1 (hard), step 0/8.\n\nThis repo has 3 bugs; 0 reported so far.\n\nRepository files: a.py, "
               "tests/t.py\n\nFile a.py (line numbers are not part of the file):\n   1| x = 1\n   2| \n   3|     y\n\n"
               "Reply with one JSON action.")
    assert (facts.difficulty, facts.step, facts.max_steps, facts.bugs_total) == ("hard", 0, 8, 3)
    assert facts.files == ["a.py", "tests/t.py"] and facts.shown == {"a.py": "x = 1\n\n    y\n"}
    facts.read("Step 5/8. Your last action (apply_fix): Applied fix evaluated: fix score 0.50. (reward +0.15, "
               "episode total 0.40)\n\nLast execution: completed\nvisible tests: 2/3 passed; failing: t\n"
               "fix score: 0.50, solved: False")
    assert (facts.step, facts.episode_reward, facts.fix_score, facts.fix_solved, facts.visible) == \
        (5, 0.40, 0.50, False, (2, 3))
    facts.read("Step 8/8. Your last action (request_changes): Changes requested. (reward +0.00, episode total 0.40)"
               "\n\nThe review is over (verdict); solved: no, episode reward 0.40.")
    assert facts.done and facts.solved is False


@pytest.mark.slow
def test_reader_earns_what_the_oracle_earns_on_the_whole_corpus(backend: Backend, tmp_path: Path) -> None:
    """The reader sees only the text (it views unseen files and runs the tests when a step is spare, and fixes
    by a diff against the code it was shown); on every task it must match the oracle's reward."""
    runs = {}
    reader = ReaderAgent()
    for name, agent in (("oracle", None), ("reader", reader)):
        outcome = run_eval(EvalConfig(out=tmp_path / name, agent=name, concurrency=2, progress=False),
                           backend=backend, agent=agent, echo=lambda _: None)
        assert outcome.env_errors == 0
        runs[name] = {r["task_id"]: r for r in outcome.records}
    assert len(runs["oracle"]) == len(backend.tasks.tasks) >= 80
    different = [(t, o["reward"], runs["reader"][t]["reward"]) for t, o in runs["oracle"].items()
                 if (o["reward"], o["solved"]) != (runs["reader"][t]["reward"], runs["reader"][t]["solved"])]
    assert different == []
    assert all(r["solved"] for r in runs["reader"].values())

    kinds = {t: [a["action_type"] for a in r["actions"]] for t, r in runs["reader"].items()}
    hard = [t for t, task in backend.tasks.tasks.items() if task.spec.difficulty == "hard"]
    assert all("view_file" in kinds[t] for t in hard)  # spare steps went to files the first message did not show
    assert any("run_tests" in kinds[t] for t in hard)
    diffs = [a for r in runs["reader"].values() for a in r["actions"]
             if a["action_type"] == "apply_fix" and "diff" in a]
    assert len(diffs) >= 40  # fixes written against the code read from the text
    for (task_id, _), facts in reader.facts.items():
        task = backend.tasks.tasks[task_id]
        if task.spec.no_bug:
            continue
        assert facts.episode_reward == pytest.approx(runs["reader"][task_id]["reward"], abs=0.006)
        if task.spec.difficulty != "easy":
            assert facts.fix_solved is True and task.entry_file in facts.shown
