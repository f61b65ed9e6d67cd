"""inference.py against a real OpenAI-compatible HTTP stub and a live AutoCodeRL server: the exact
[START]/[STEP]/[END] lines, a 429 retried, malformed output corrected, and a typed per-episode failure
that does not stop the run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import pytest

from environment.evaluation.agents import AgentError
from environment.evaluation.llm import OpenAIAgent, parse_action

from .conftest import ROOT, free_port
from .openai_stub import StubLLM

START = re.compile(r"^\[START\] task=(\S+) env=autocoderl model=(\S+)$")
STEP = re.compile(r"^\[STEP\] step=(\d+) action=([a-z_]+) reward=(-?\d+\.\d{2}) done=(true|false) error=(.+)$")
END = re.compile(r"^\[END\] success=(true|false) steps=(\d+) score=(\d+\.\d{2}) "
                 r"rewards=((?:-?\d+\.\d{2})(?:,-?\d+\.\d{2})*)?$")


def run_inference(env: dict[str, str]) -> subprocess.CompletedProcess:
    full = {**os.environ, "MODEL_NAME": "stub-model", "HF_TOKEN": "test-token", "LLM_MAX_RETRIES": "2",
            "LLM_TIMEOUT": "20", **env}
    return subprocess.run([sys.executable, "inference.py"], cwd=ROOT, env=full, capture_output=True, text=True,
                          timeout=300)


def parse_episodes(stdout: str) -> list[dict]:
    episodes: list[dict] = []
    for line in stdout.splitlines():
        if m := START.match(line):
            episodes.append({"task": m.group(1), "model": m.group(2), "steps": [], "end": None})
        elif m := STEP.match(line):
            episodes[-1]["steps"].append(m.groups())
        elif m := END.match(line):
            episodes[-1]["end"] = m.groups()
        else:
            pytest.fail(f"unexpected stdout line: {line!r}")
    return episodes


def test_inference_prints_the_seed_format(server_url: str) -> None:
    script: list = [
        429,  # rate limited once: the agent backs off (Retry-After) and retries
        "Sure! The problem is on line 12, I would fix it.",  # no JSON: corrective retry
        '```json\n{"action_type": "detect_bug", "bug_category": "logic"}\n```',
        '{"action_type": "predict_severity", "severity": "high"}',
        '{"action_type": "request_changes", "comment": "see above"}',
        # medium: three unusable answers -> typed failure for this episode only
        "nope", '{"action_type": "detect_bug"}', '{"action_type": "apply_fix", "files": ',
    ]  # hard: the default reply (request_changes)
    with StubLLM(script) as stub:
        proc = run_inference({"API_BASE_URL": stub.base_url, "ENV_URL": server_url, "TASKS": "easy,medium,hard"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    episodes = parse_episodes(proc.stdout)
    assert [e["task"] for e in episodes] == ["easy", "medium", "hard"]
    assert all(e["model"] == "stub-model" and e["end"] is not None for e in episodes)

    easy = episodes[0]
    assert [s[:2] for s in easy["steps"]] == [("1", "detect_bug"), ("2", "predict_severity"), ("3", "request_changes")]
    assert [s[3] for s in easy["steps"]] == ["false", "false", "true"]
    success, steps, score, rewards = easy["end"]
    assert steps == "3" and rewards.split(",") == [s[2] for s in easy["steps"]]
    assert abs(float(score) - max(0.0, sum(float(r) for r in rewards.split(",")))) <= 0.011

    assert episodes[1]["steps"] == [] and episodes[1]["end"] == ("false", "0", "0.00", None)
    assert "INVALID_AGENT_OUTPUT" in proc.stderr

    hard = episodes[2]
    assert hard["steps"] == [("1", "request_changes", "0.00", "true", "null")]
    assert hard["end"] == ("false", "1", "0.00", "0.00")

    assert stub.statuses[0] == 429 and stub.statuses.count(429) == 1
    assert len(stub.requests) == 9
    corrective = stub.requests[2]["messages"][-1]
    assert corrective["role"] == "user" and "not usable" in corrective["content"]
    assert stub.requests[1]["messages"][0]["role"] == "system"
    assert "detect_bug" in stub.requests[1]["messages"][0]["content"]


def test_inference_survives_an_unreachable_environment(capsys: pytest.CaptureFixture[str]) -> None:
    import inference

    with StubLLM() as stub:
        agent = OpenAIAgent(model="stub-model", base_url=stub.base_url, api_key="x", max_retries=0)
        for task in ("easy", "hard"):
            result = inference.run_task(agent, f"http://127.0.0.1:{free_port()}", task, 0)
            assert result.status == "env_error"
    out = capsys.readouterr().out.splitlines()
    failed = "[END] success=false steps=0 score=0.00 rewards="
    assert out == ["[START] task=easy env=autocoderl model=stub-model", failed,
                   "[START] task=hard env=autocoderl model=stub-model", failed]


def test_inference_exits_non_zero_and_stops_when_the_environment_is_down() -> None:
    with StubLLM() as stub:
        proc = run_inference({"API_BASE_URL": stub.base_url, "ENV_URL": f"http://127.0.0.1:{free_port()}",
                              "TASKS": "easy,medium,hard"})
    assert proc.returncode == 1
    assert [e["task"] for e in parse_episodes(proc.stdout)] == ["easy"]  # no retrying the dead server per task
    assert "CONNECTION" in proc.stderr and "no episode could run" in proc.stderr
    assert stub.requests == []  # the model was never asked


def test_an_unreachable_model_endpoint_fails_at_once_and_is_named(server_url: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from environment.models import ReviewObservation

    dead = f"http://127.0.0.1:{free_port()}/v1"
    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    agent = OpenAIAgent(model="m", base_url=dead, api_key="x", max_retries=4)
    obs = ReviewObservation(task_id="t-x", task_difficulty="easy", files=["a.py"], file_name="a.py",
                            code_snippet="x = 1\n", max_steps=3)
    with pytest.raises(AgentError) as err:
        agent.new_episode(None, 0).act(obs)
    assert err.value.code == "LLM_UNREACHABLE" and dead in str(err.value) and slept == []
    monkeypatch.undo()

    proc = run_inference({"API_BASE_URL": dead, "ENV_URL": server_url, "TASKS": "easy,medium"})
    assert proc.returncode == 1
    assert [e["task"] for e in parse_episodes(proc.stdout)] == ["easy"]
    assert "LLM_UNREACHABLE" in proc.stderr and dead in proc.stderr


def test_server_errors_are_retried_and_client_errors_are_not(monkeypatch: pytest.MonkeyPatch) -> None:
    from environment.evaluation.llm import backoff_s
    from environment.models import ReviewObservation

    slept: list[float] = []
    monkeypatch.setattr(time, "sleep", slept.append)
    obs = ReviewObservation(task_id="t-x", task_difficulty="easy", files=["a.py"], file_name="a.py",
                            code_snippet="x = 1\n", max_steps=3)
    with StubLLM([503, 502, '{"action_type": "approve_code"}']) as stub:
        agent = OpenAIAgent(model="m", base_url=stub.base_url, api_key="x", max_retries=2)
        assert agent.new_episode(None, 0).act(obs).action_type == "approve_code"
    assert stub.statuses == [503, 502, 200] and slept == [0.0, 0.0]  # the stub's Retry-After: 0 is honoured
    with StubLLM([401, '{"action_type": "approve_code"}']) as stub:
        agent = OpenAIAgent(model="m", base_url=stub.base_url, api_key="x", max_retries=2)
        with pytest.raises(AgentError) as err:
            agent.new_episode(None, 0).act(obs)
    assert err.value.code == "LLM_ERROR" and "401" in str(err.value) and stub.statuses == [401]
    assert 0.375 <= backoff_s(0) <= 0.5 and backoff_s(10) <= 8.0 and backoff_s(3, "2") == 2.0
    assert backoff_s(1, "Wed, 21 Oct 2015 07:28:00 GMT") <= 1.0 and backoff_s(1, "3600") <= 1.0


def test_model_call_timeout_and_persistent_rate_limit_are_typed_failures() -> None:
    from environment.models import ReviewObservation

    obs = ReviewObservation(task_id="t-x", task_difficulty="easy", files=["a.py"], file_name="a.py",
                            code_snippet="x = 1\n", max_steps=3)
    with StubLLM([{"sleep": 2.0}]) as stub:
        agent = OpenAIAgent(model="m", base_url=stub.base_url, api_key="x", timeout_s=0.3, max_retries=0)
        with pytest.raises(AgentError) as err:
            agent.new_episode(None, 0).act(obs)
        assert err.value.code == "LLM_TIMEOUT"
    with StubLLM([429, 429, 429]) as stub:
        agent = OpenAIAgent(model="m", base_url=stub.base_url, api_key="x", max_retries=1)
        with pytest.raises(AgentError) as err:
            agent.new_episode(None, 0).act(obs)
        deadline = time.monotonic() + 5  # the stub records a status after it sent it: wait for its thread
        while len(stub.statuses) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert err.value.code == "LLM_RATE_LIMITED" and stub.statuses == [429, 429]


@pytest.mark.parametrize("text, expected", [
    ('{"action_type": "approve_code"}', "approve_code"),
    ('Here you go:\n```json\n{"action_type": "view_file", "file": "a.py"}\n```', "view_file"),
    ('{"action_type": "detect_bug", "bug_category": "logic", "line": null} trailing', "detect_bug"),
])
def test_parse_action_accepts_usable_replies(text: str, expected: str) -> None:
    assert parse_action(text).action_type == expected


@pytest.mark.parametrize("text, problem", [
    ("no json here", "no JSON object"),
    ('{"action_type": "detect_bug"', "invalid JSON"),
    ('{"action_type": "detect_bug"}', "bug_category"),
    ('{"action_type": "fly"}', "not a valid action"),
])
def test_parse_action_names_the_problem(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_action(text)
