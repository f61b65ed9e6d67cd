"""examples/trl_grpo_rollout.py against a live server: 8 concurrent WebSocket sessions driven by a
fake policy (no model), rewards are floats, and every session is closed afterwards; the
environment_factory class exposes exactly the review tools and owns its reward."""

from __future__ import annotations

import importlib.util
import inspect
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "trl_grpo_rollout.py"
TOOLS = {"view_file", "run_tests", "apply_fix", "detect_bug", "predict_severity", "submit"}


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("trl_grpo_rollout", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def active_sessions(url: str) -> int:
    return httpx.get(f"{url}/health", timeout=10).json()["active_sessions"]


def wait_for_sessions(url: str, expected: int, timeout_s: float = 15.0) -> int:
    deadline = time.monotonic() + timeout_s
    while (count := active_sessions(url)) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return count


def test_eight_concurrent_rollouts_with_a_fake_policy(example, server_url: str) -> None:
    before = active_sessions(server_url)
    all_open = threading.Barrier(8, timeout=120)  # the first answer waits until all 8 sessions are live

    def fake_policy(prompt: str) -> str:
        turn = prompt.count("<|assistant|>") - 1
        if turn == 0:
            all_open.wait()
            return '{"action_type": "detect_bug", "bug_category": "logic"}'
        return ["I am not sure yet.",  # a format error: costs a turn, not an environment step
                '{"action_type": "run_tests"}',
                '{"action_type": "predict_severity", "severity": "medium"}'][turn - 1] if turn <= 3 \
            else '{"action_type": "request_changes"}'

    out = example.rollout([{"task_name": "medium", "seed": 5, "prompt": "ignored column"}], fake_policy,
                          base_url=server_url, num_generations=8)

    assert len(out["env_reward"]) == 8 and out["group"] == [0] * 8
    assert all(isinstance(r, float) for r in out["env_reward"])
    assert len(set(out["task_id"])) == 1  # one GRPO group = one task
    assert out["done_reason"] == ["verdict"] * 8 and out["num_turns"] == [5] * 8 and out["format_errors"] == [1] * 8
    for prompt, completion, components in zip(out["prompt"], out["completion"], out["reward_components"],
                                              strict=True):
        assert prompt[0]["role"] == "system" and "JSON" in prompt[0]["content"]
        assert [m["role"] for m in completion] == ["assistant", "user"] * 5
        assert "Visible tests" in completion[5]["content"] or "visible tests" in completion[5]["content"]
        assert "Pull request:" in prompt[1]["content"]  # the whole task once; the answers are lean
        assert all("Pull request:" not in m["content"] for m in completion)
        assert set(components) >= {"detect", "severity", "penalties"}
    assert example.reward_from_env(out["completion"], out["env_reward"]) == out["env_reward"]
    assert wait_for_sessions(server_url, before) == before


def test_environment_factory_class(example, server_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(example, "ENV_URL", server_url)
    cls = example.CodeReviewToolEnv
    assert inspect.signature(cls.__init__).parameters.keys() == {"self"}
    env = cls()
    tools = {name for name, _ in inspect.getmembers(env, predicate=inspect.ismethod)
             if name not in ("reset", "get_reward") and not name.startswith("_")}
    assert tools == TOOLS  # what TRL exposes to the model
    for name in TOOLS:
        method = getattr(env, name)
        doc = inspect.getdoc(method)
        assert "Args:" in doc and "Returns:" in doc
        for param in inspect.signature(method).parameters:
            assert f"{param}:" in doc and inspect.signature(method).parameters[param].annotation is not None

    before = active_sessions(server_url)
    try:
        text = env.reset(task_id="sec-orders-sql-injection", seed=0, prompt=[{"role": "user", "content": "x"}])
        assert "orders/store.py" in text and "Pull request:" in text and env.get_reward() == 0.0
        answer = env.detect_bug("security", path="orders/store.py", line=48, cwe="CWE-89")
        assert "Issue confirmed" in answer and "Pull request:" not in answer and "|" not in answer
        with pytest.raises(ValueError, match="Invalid action"):
            env.predict_severity("enormous")
        env.predict_severity("critical")
        env.submit("request_changes")
        assert env.done and isinstance(env.get_reward(), float) and env.get_reward() > 0.5
        with pytest.raises(ValueError, match="over"):
            env.view_file("orders/store.py")
        env.reset(task_name="easy", seed=1)  # the pooled instance starts clean
        assert env.get_reward() == 0.0 and not env.done
        assert active_sessions(server_url) == before + 1  # one session reused across episodes
    finally:
        env._close()
    assert wait_for_sessions(server_url, before) == before
