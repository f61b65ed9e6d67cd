"""A gymnasium view of AutoCodeRL: text in, text out.

`gymnasium.make("AutoCodeRL/CodeReview-v0")` (after `import environment.trainers.gym_env`) gives an env whose
observation is text (the same rendering the evaluation agents read: the whole review at reset, then after
each step a lean answer with only what the step changed, to append to the conversation; `answers="full"`
gives the whole review at every step) and whose action is one ReviewAction as a JSON string. It runs
in-process over a shared Backend (default) or against a server (`base_url=...`, one WebSocket session per env).

- reset(seed, options): the seed seeds `np_random`, which draws the task seed, so the same seed gives
  the same task and observation; `options` are the server's reset options (task_name, task_id,
  category, cwe, tier, split, reward_mode, curriculum, variant_seed).
- step(json): terminated = a verdict was given; truncated = the step budget ran out (done_reason
  "max_steps") or the step timed out. A malformed or invalid action costs a step of the budget and
  gives `invalid_action_penalty` with the problem in info["error"]; it never raises.
- info: task_id, reward_components, episode_reward, exec_status, fix_score, solved, done_reason, error.
"""

from __future__ import annotations

import re
import string
import threading
from typing import Any, Literal

import gymnasium
from gymnasium import spaces
from gymnasium.error import ResetNeeded

from environment.evaluation.llm import SYSTEM_PROMPT, answer_text, observation_text, parse_action
from environment.evaluation.rollout import LocalSession, RemoteSession
from environment.models import ReviewAction, ReviewObservation

ENV_ID = "AutoCodeRL/CodeReview-v0"
MAX_TEXT = 1 << 20  # characters; the server's default frame cap is 1 MiB as well
INVALID_ACTION_PENALTY = -0.05
RESET_OPTIONS = frozenset({"task_name", "task_id", "category", "cwe", "tier", "split", "reward_mode", "curriculum",
                           "variant_seed"})
_TASK_SEED_RANGE = 2**31 - 1


class AnyText(spaces.Text):
    """A Text space over all of Unicode: `contains` checks the type and length only (code and tool
    output hold any character); `sample` draws printable ASCII."""

    def __init__(self, max_length: int, *, min_length: int = 0, seed: int | None = None) -> None:
        super().__init__(max_length=max_length, min_length=min_length, charset=string.printable, seed=seed)

    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and self.min_length <= len(x) <= self.max_length

    @property
    def is_np_flattenable(self) -> bool:
        return False  # characters outside the sampling charset have no index

    def __repr__(self) -> str:
        return f"AnyText({self.min_length}, {self.max_length})"


_BACKENDS: dict[str, Any] = {}
_BACKENDS_LOCK = threading.Lock()


def shared_backend(runner: str | None = None) -> Any:
    """The process-wide Backend for `runner` (auto | docker | local; default AUTOCODERL_RUNNER), built once."""
    from environment.env import Backend, in_process_settings

    settings = in_process_settings(**({"AUTOCODERL_RUNNER": runner} if runner else {}))
    with _BACKENDS_LOCK:
        if settings.runner not in _BACKENDS:
            _BACKENDS[settings.runner] = Backend.create(settings)
        return _BACKENDS[settings.runner]


def _error_code(exc: BaseException) -> str:
    code = getattr(exc, "code", None)
    if code is None:
        found = re.search(r"\(code: ([A-Z_]+)\)", str(exc))
        code = found.group(1) if found else type(exc).__name__
    return str(code)


class CodeReviewGymEnv(gymnasium.Env[str, str]):
    """gymnasium.Env over one AutoCodeRL review session (see the module docstring)."""

    metadata = {"render_modes": ["ansi"], "render_fps": 4}

    def __init__(self, *, base_url: str | None = None, runner: str | None = None, backend: Any = None,
                 reset_options: dict[str, Any] | None = None, invalid_action_penalty: float = INVALID_ACTION_PENALTY,
                 message_timeout_s: float = 300.0, render_mode: str | None = None,
                 answers: Literal["lean", "full"] = "lean") -> None:
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}, not {render_mode!r}")
        if answers not in ("lean", "full"):
            raise ValueError(f'answers must be "lean" or "full", not {answers!r}')
        self.answers = answers
        self._check_options(reset_options or {})
        self.render_mode = render_mode
        self.observation_space = AnyText(MAX_TEXT)
        self.action_space = AnyText(MAX_TEXT, min_length=1)
        self.instructions = SYSTEM_PROMPT
        self.base_url = base_url
        self.runner = runner
        self.reset_options = dict(reset_options or {})
        self.invalid_action_penalty = float(invalid_action_penalty)
        self._message_timeout_s = message_timeout_s
        self._backend = backend
        self._session: LocalSession | RemoteSession | None = None
        self._last: ReviewObservation | None = None
        self._text = ""
        self._steps = 0
        self._invalid = 0
        self._terminated = self._truncated = False
        self._done_reason: str | None = None

    @staticmethod
    def _check_options(options: dict[str, Any]) -> None:
        unknown = set(options) - RESET_OPTIONS
        if unknown:
            raise ValueError(f"unknown reset option(s) {sorted(unknown)}; expected some of {sorted(RESET_OPTIONS)}")

    def _open(self) -> LocalSession | RemoteSession:
        if self._session is None:
            if self.base_url:
                self._session = RemoteSession(self.base_url, self._message_timeout_s)
            else:
                backend = self._backend if self._backend is not None else shared_backend(self.runner)
                self._session = LocalSession(backend)
        return self._session

    # gymnasium API ---------------------------------------------------------------------------------

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[str, dict[str, Any]]:
        """Start a review. Raises ValueError for unknown options or options that match no task."""
        super().reset(seed=seed)
        merged = {**self.reset_options, **(options or {})}
        self._check_options(merged)
        task_seed = int(self.np_random.integers(_TASK_SEED_RANGE))
        try:
            obs = self._open().reset(seed=task_seed, **merged)
        except Exception as exc:
            if _error_code(exc) in ("INVALID_RESET", "NO_MATCHING_TASK", "VALIDATION_ERROR"):
                raise ValueError(str(exc)) from None
            raise
        self._last, self._steps, self._invalid = obs, 0, 0
        self._terminated = self._truncated = False
        self._done_reason = None
        self._text = observation_text(obs)
        info = self._info(obs, error=None)
        info["task_seed"] = task_seed
        info["instructions"] = self.instructions
        return self._text, info

    def step(self, action: str | dict[str, Any] | ReviewAction) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self._last is None:
            raise ResetNeeded("call reset() before step()")
        if self._terminated or self._truncated:
            return self._text, 0.0, self._terminated, self._truncated, self._info(
                self._last, error={"code": "EPISODE_DONE", "message": "the episode is over; call reset()"})
        self._steps += 1
        try:
            parsed = self._parse(action)
        except ValueError as exc:
            return self._rejected("INVALID_ACTION", str(exc), self.invalid_action_penalty)
        try:
            obs = self._open().step(parsed)
        except Exception as exc:
            code = _error_code(exc)
            if code in ("VALIDATION_ERROR", "UNKNOWN_FILE"):  # a client mistake the server did not count
                return self._rejected("INVALID_ACTION", str(exc), self.invalid_action_penalty)
            if code == "UNSCORABLE":  # our sandbox failed: no reward either way, the step is spent
                return self._rejected(code, str(exc), 0.0)
            if code == "STEP_TIMEOUT":  # the server abandoned the episode
                self._truncated, self._done_reason = True, "step_timeout"
                return self._rejected(code, str(exc), 0.0)
            raise
        self._last = obs
        self._text = answer_text(obs) if self.answers == "lean" else observation_text(obs)
        if obs.done:
            self._terminated = obs.done_reason == "verdict"
            self._truncated = not self._terminated
            self._done_reason = obs.done_reason
        elif self._steps >= obs.max_steps:  # invalid actions used up the rest of the budget
            self._truncated, self._done_reason = True, "max_steps"
        info = self._info(obs, error=obs.error.model_dump() if obs.error else None)
        info["action_type"] = parsed.action_type
        return self._text, float(obs.reward or 0.0), self._terminated, self._truncated, info

    def render(self) -> str | None:
        return self._text if self.render_mode == "ansi" else None

    def close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    # helpers ---------------------------------------------------------------------------------------

    @staticmethod
    def _parse(action: str | dict[str, Any] | ReviewAction) -> ReviewAction:
        if isinstance(action, ReviewAction):
            return action
        if isinstance(action, dict):
            from pydantic import ValidationError

            try:
                return ReviewAction.model_validate(action)
            except ValidationError as exc:
                raise ValueError(f"not a valid action ({exc.error_count()} problem(s): {exc.errors()[0]['msg']})") \
                    from None
        if not isinstance(action, str):
            raise ValueError(f"the action must be a JSON string, not {type(action).__name__}")
        return parse_action(action)

    def _rejected(self, code: str, message: str, reward: float) -> tuple[str, float, bool, bool, dict[str, Any]]:
        assert self._last is not None
        if code in ("INVALID_ACTION",):
            self._invalid += 1
        if not self._truncated and self._steps >= self._last.max_steps:
            self._truncated, self._done_reason = True, "max_steps"
        rejected = (f"Your last reply was not carried out ({code}): {message}. "
                    f"Steps used: {self._steps}/{self._last.max_steps}. Reply with one JSON action.")
        self._text = rejected if self.answers == "lean" else f"{observation_text(self._last)}\n\n{rejected}"
        info = self._info(self._last, error={"code": code, "message": message})
        info["exec_status"] = "unscorable" if code == "UNSCORABLE" else "not_run"
        return self._text, reward, self._terminated, self._truncated, info

    def _info(self, obs: ReviewObservation, *, error: dict[str, Any] | None) -> dict[str, Any]:
        execution = obs.execution
        return {
            "task_id": obs.task_id, "difficulty": obs.task_difficulty, "step": self._steps,
            "env_step": obs.step_number, "max_steps": obs.max_steps,
            "reward_components": dict(obs.reward_breakdown), "episode_reward": float(obs.episode_reward),
            "exec_status": execution.status if execution is not None else "not_run",
            "fix_score": execution.fix_score if execution is not None else None,
            "test_status": obs.test_status, "solved": bool(obs.solved), "done_reason": self._done_reason,
            "error": dict(error) if error else None, "feedback": obs.previous_action_feedback,
            "invalid_actions": self._invalid, "reward_mode": obs.reward_mode,
        }


if ENV_ID not in gymnasium.registry:
    gymnasium.register(id=ENV_ID, entry_point="environment.trainers.gym_env:CodeReviewGymEnv")

__all__ = ["ENV_ID", "INVALID_ACTION_PENALTY", "AnyText", "CodeReviewGymEnv", "shared_backend"]
