"""One episode, the same way everywhere: an environment session (in-process AutoCodeEnv or the
WebSocket client), a Policy, and a typed result. Nothing here raises for a bad episode."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from environment.evaluation.agents import AgentError, Policy
from environment.models import ReviewAction, ReviewObservation

STEP_GUARD = 64  # far above any task's max_steps; a server that never says done cannot loop forever


class Session(Protocol):
    def reset(self, **options: Any) -> ReviewObservation: ...

    def step(self, action: ReviewAction) -> ReviewObservation: ...

    def close(self) -> None: ...


class LocalSession:
    """An in-process AutoCodeEnv over a shared Backend."""

    def __init__(self, backend: Any) -> None:
        from environment.env import AutoCodeEnv

        self.env = AutoCodeEnv(backend)

    def reset(self, **options: Any) -> ReviewObservation:
        return self.env.reset(**options)

    def step(self, action: ReviewAction) -> ReviewObservation:
        return self.env.step(action)

    def close(self) -> None:
        self.env.close()


class RemoteSession:
    """One WebSocket session on an AutoCodeRL server (environment.client.AutoCodeEnvClient)."""

    def __init__(self, url: str, message_timeout_s: float = 300.0) -> None:
        from environment.client import AutoCodeEnvClient

        self.client = AutoCodeEnvClient(base_url=url, message_timeout_s=message_timeout_s).sync()
        self.client.connect()

    def reset(self, **options: Any) -> ReviewObservation:
        return self.client.reset(**options).observation

    def step(self, action: ReviewAction) -> ReviewObservation:
        return self.client.step(action).observation

    def close(self) -> None:
        try:
            self.client.close()
        except Exception:  # closing a dead socket must not fail the episode
            pass


@dataclass
class StepLog:
    step: int
    action: dict[str, Any]
    reward: float
    done: bool
    error: str | None = None
    feedback: str = ""
    execution: dict[str, Any] | None = None


@dataclass
class EpisodeResult:
    status: str = "ok"  # ok | agent_error | env_error
    steps: list[StepLog] = field(default_factory=list)
    reward: float = 0.0
    solved: bool = False
    breakdown: dict[str, float] = field(default_factory=dict)
    error: dict[str, str] | None = None
    public_task_id: str = ""
    difficulty: str = ""
    done_reason: str | None = None
    duration_s: float = 0.0

    @property
    def rewards(self) -> list[float]:
        return [s.reward for s in self.steps]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        steps = data.pop("steps")
        data["actions"] = [s["action"] for s in steps]
        data["step_rewards"] = [s["reward"] for s in steps]
        data["steps"] = [{k: v for k, v in s.items() if k != "action"} for s in steps]
        data["reward_breakdown"] = data.pop("breakdown")
        return data


PREPARING_WAIT_S = 900.0
"""How long an episode waits for a task environment the server is still building."""


def error_code(exc: BaseException) -> dict[str, str]:
    """A typed error for anything the environment side raised (EnvError, client 'Server error', I/O)."""
    code = getattr(exc, "code", None)
    message = str(exc)
    if code is None:
        found = re.search(r"\(code: ([A-Z_]+)\)", message)
        code = found.group(1) if found else re.sub(r"(?<!^)(?=[A-Z])", "_", type(exc).__name__).upper()
    return {"code": str(code), "message": message.partition(": ")[2] if message.startswith(f"{code}: ") else message}


def _step_error(obs: ReviewObservation) -> str | None:
    if obs.error is None:
        return None
    return f"{obs.error.code}: {obs.error.message}"


def step_when_ready(session: Session, action: ReviewAction, wait_s: float = PREPARING_WAIT_S) -> ReviewObservation:
    """session.step, retried with backoff while the server answers ENVIRONMENT_PREPARING (the task's
    requirements are being installed; those answers are not counted as steps)."""
    deadline = time.monotonic() + wait_s
    delay = 0.5
    while True:
        try:
            return session.step(action)
        except Exception as exc:
            if error_code(exc)["code"] != "ENVIRONMENT_PREPARING" or time.monotonic() + delay > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


def play_episode(session_factory: Callable[[], Session], policy_factory: Callable[[], Policy],
                 reset_options: dict[str, Any], on_step: Callable[[StepLog], None] | None = None) -> EpisodeResult:
    """Reset, then let the policy act until the episode is done. Agent failures end the episode with
    status agent_error, environment/transport failures with env_error; neither raises."""
    started = time.monotonic()
    result = EpisodeResult()
    session: Session | None = None
    try:
        try:
            session = session_factory()
            obs = session.reset(**reset_options)
        except Exception as exc:
            result.status, result.error = "env_error", error_code(exc)
            return result
        result.public_task_id, result.difficulty = obs.task_id, obs.task_difficulty
        try:
            policy = policy_factory()
        except AgentError as exc:
            result.status, result.error = "agent_error", {"code": exc.code, "message": exc.message}
            return result
        while not obs.done and len(result.steps) < STEP_GUARD:
            try:
                action = policy.act(obs)
            except AgentError as exc:
                result.status, result.error = "agent_error", {"code": exc.code, "message": exc.message}
                break
            except Exception as exc:  # a buggy agent is that episode's failure, not the run's
                result.status, result.error = "agent_error", {"code": "AGENT_CRASHED", "message": repr(exc)}
                break
            try:
                obs = step_when_ready(session, action)
            except Exception as exc:
                result.status, result.error = "env_error", error_code(exc)
                break
            log = StepLog(step=obs.step_number, action=action.model_dump(exclude_none=True, exclude={"metadata"}),
                          reward=float(obs.reward or 0.0), done=bool(obs.done), error=_step_error(obs),
                          feedback=obs.previous_action_feedback,
                          execution=obs.execution.model_dump() if obs.execution else None)
            result.steps.append(log)
            result.solved = obs.solved
            result.reward = obs.episode_reward if obs.reward_mode == "shaped" else sum(result.rewards)
            result.breakdown, result.done_reason = dict(obs.reward_breakdown), obs.done_reason
            if on_step is not None:
                on_step(log)
        return result
    finally:
        if session is not None:
            session.close()
        result.duration_s = round(time.monotonic() - started, 3)
