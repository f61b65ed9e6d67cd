"""GRPO with TRL against an AutoCodeRL server: a rollout function and an environment_factory class.

Start a server first (`python -m environment.cli serve`, or the Docker image) and point AUTOCODERL_URL
at it. Neither part imports TRL; the smoke test (tests/test_trl_example.py) drives them with a fake policy.

1. `rollout(prompts, policy, num_generations=8)` (or `await rollout_async(...)`): for every prompt row,
   `num_generations` episodes of the same task (the same reset options and seed, so GRPO compares like
   with like), each in its own WebSocket session, all concurrently (up to `max_concurrency`). The
   policy is `policy(prompt: str) -> str` (sync or async): it gets the conversation so far as text and
   answers with one JSON action. A policy may instead return a dict with "text" plus anything else
   (e.g. TRL's prompt_ids / completion_ids / logprobs from `generate_rollout_completions`); those
   extras come back per turn in "policy_outputs", which is what a TRL `rollout_func(prompts, trainer)`
   needs to build its token tensors. Returns a dict of per-rollout lists: prompt, completion (the
   conversation after the prompt, as messages), env_reward, reward_components, solved, task_id,
   done_reason, num_turns, format_errors, group. `reward_from_env` is a matching TRL reward function.

2. `CodeReviewToolEnv` for `GRPOTrainer(environment_factory=CodeReviewToolEnv, ...)`: no-arg
   constructor, `reset(**row) -> str` (the row's reset options: task_name, task_id, category, cwe,
   tier, split, seed, reward_mode; other columns such as "prompt" are ignored), the tools view_file,
   run_tests, apply_fix, detect_bug, predict_severity and submit, and `get_reward()` (the episode
   reward). A tool used wrongly, or after the episode ended, raises ValueError, which TRL hands back to
   the model as the tool result.

    trainer = GRPOTrainer(model=..., train_dataset=Dataset.from_dict({"prompt": [[{"role": "user",
                          "content": SYSTEM_PROMPT}]] * 64, "task_name": ["medium"] * 64, "seed": list(range(64))}),
                          reward_funcs=lambda environments, **_: [e.get_reward() for e in environments],
                          environment_factory=CodeReviewToolEnv, args=GRPOConfig(max_completion_length=4096))
"""

from __future__ import annotations

import asyncio
import inspect
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from environment.client import AutoCodeEnvClient
from environment.evaluation.llm import SYSTEM_PROMPT, observation_text, parse_action
from environment.models import ReviewAction, ReviewObservation

ENV_URL = os.environ.get("AUTOCODERL_URL", "http://127.0.0.1:8000")
RESET_KEYS = ("task_name", "task_id", "category", "cwe", "tier", "split", "seed", "reward_mode")
ROLE_TAG = "<|{role}|>"

Policy = Callable[[str], "str | dict[str, Any] | Awaitable[str | dict[str, Any]]"]


def render_messages(messages: list[dict[str, str]]) -> str:
    """The conversation as the text a `policy(prompt: str)` receives: one `<|role|>` block per message."""
    return "".join(f"{ROLE_TAG.format(role=m['role'])}\n{m['content']}\n" for m in messages) + \
        ROLE_TAG.format(role="assistant") + "\n"


def reset_options(row: dict[str, Any] | str, index: int, base_seed: int = 0) -> dict[str, Any]:
    """Reset options of a prompt row: its known keys; a row without a seed gets base_seed + index."""
    options = {k: row[k] for k in RESET_KEYS if isinstance(row, dict) and row.get(k) is not None}
    options.setdefault("seed", base_seed + index)
    return options


async def _ask(policy: Policy, text: str, pool: ThreadPoolExecutor) -> tuple[str, dict[str, Any]]:
    if inspect.iscoroutinefunction(policy):
        answer = await policy(text)
    else:
        answer = await asyncio.get_running_loop().run_in_executor(pool, policy, text)
        if inspect.isawaitable(answer):
            answer = await answer
    if isinstance(answer, dict):
        extras = {k: v for k, v in answer.items() if k != "text"}
        return str(answer.get("text", "")), extras
    return str(answer), {}


async def _episode(policy: Policy, options: dict[str, Any], *, base_url: str, max_turns: int | None,
                   pool: ThreadPoolExecutor, slots: asyncio.Semaphore, instructions: str) -> dict[str, Any]:
    async with slots, AutoCodeEnvClient(base_url=base_url, message_timeout_s=300.0) as env:
        obs: ReviewObservation = (await env.reset(**options)).observation
        prompt = [{"role": "system", "content": instructions}, {"role": "user", "content": observation_text(obs)}]
        completion: list[dict[str, str]] = []
        outputs: list[dict[str, Any]] = []
        format_errors = 0
        limit = max_turns if max_turns is not None else obs.max_steps + 2
        for _ in range(limit):
            if obs.done:
                break
            text, extras = await _ask(policy, render_messages(prompt + completion), pool)
            completion.append({"role": "assistant", "content": text})
            outputs.append(extras)
            try:
                action = parse_action(text)
            except ValueError as exc:
                format_errors += 1
                completion.append({"role": "user", "content": f"Your reply was not usable: {exc}. Answer with "
                                                              "exactly one JSON object for one action."})
                continue
            obs = (await env.step(action)).observation
            completion.append({"role": "user", "content": observation_text(obs)})
        return {"prompt": prompt, "completion": completion, "env_reward": float(obs.episode_reward),
                "reward_components": dict(obs.reward_breakdown), "solved": bool(obs.solved), "task_id": obs.task_id,
                "done_reason": obs.done_reason, "num_turns": len(outputs), "format_errors": format_errors,
                "policy_outputs": outputs}


async def rollout_async(prompts: list[dict[str, Any] | str], policy: Policy, *, base_url: str | None = None,
                        num_generations: int = 8, max_concurrency: int = 64, max_turns: int | None = None,
                        base_seed: int = 0, instructions: str = SYSTEM_PROMPT) -> dict[str, list[Any]]:
    """Play `num_generations` episodes per prompt row concurrently (see the module docstring).

    A row is a dict of reset options (other keys ignored) or any string (default options, seed
    base_seed + index). Rollouts come back grouped: all generations of row 0 first.
    """
    jobs = [(i, reset_options(row, i, base_seed)) for i, row in enumerate(prompts) for _ in range(num_generations)]
    slots = asyncio.Semaphore(max(1, max_concurrency))
    with ThreadPoolExecutor(max_workers=max(1, min(max_concurrency, len(jobs))),
                            thread_name_prefix="policy") as pool:
        episodes = await asyncio.gather(*(_episode(policy, options, base_url=base_url or ENV_URL, max_turns=max_turns,
                                                   pool=pool, slots=slots, instructions=instructions)
                                          for _, options in jobs))
    batch: dict[str, list[Any]] = {key: [e[key] for e in episodes] for key in episodes[0]} if episodes else {}
    batch["group"] = [i for i, _ in jobs]
    return batch


def rollout(prompts: list[dict[str, Any] | str], policy: Policy, **kwargs: Any) -> dict[str, list[Any]]:
    """Blocking `rollout_async` (for code that is not already inside an event loop)."""
    return asyncio.run(rollout_async(prompts, policy, **kwargs))


def reward_from_env(completions: list[Any], env_reward: list[float], **kwargs: Any) -> list[float]:
    """TRL reward function: the environment's episode reward, forwarded by the rollout."""
    return [float(r) for r in env_reward]


class CodeReviewToolEnv:
    """One AutoCodeRL review session per instance, for TRL's `environment_factory` (see the module docstring)."""

    def __init__(self) -> None:
        self._client: Any = None
        self._clear()

    def _clear(self) -> None:
        self.reward = 0.0
        self.reward_components: dict[str, float] = {}
        self.done = False
        self.solved = False
        self._obs: ReviewObservation | None = None

    def _connect(self) -> Any:
        if self._client is None:
            self._client = AutoCodeEnvClient(base_url=ENV_URL, message_timeout_s=300.0).sync()
            self._client.connect()
        return self._client

    def _close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.close()
            except Exception:  # closing a dead socket is not an error
                pass

    def reset(self, **row: Any) -> str:
        """Start a new review on this instance's session; returns the first observation as text."""
        self._clear()
        options = {k: row[k] for k in RESET_KEYS if row.get(k) is not None}
        self._obs = self._connect().reset(**options).observation
        return observation_text(self._obs)

    def _act(self, **fields: Any) -> str:
        if self._obs is None:
            raise ValueError("No review in progress.")
        if self.done:
            raise ValueError("The review is over; no further actions.")
        try:
            action = ReviewAction.model_validate({k: v for k, v in fields.items() if v not in (None, "")})
        except Exception as exc:
            raise ValueError(f"Invalid action: {exc}") from None
        obs = self._connect().step(action).observation
        self._obs = obs
        self.reward, self.reward_components = float(obs.episode_reward), dict(obs.reward_breakdown)
        self.done, self.solved = bool(obs.done), bool(obs.solved)
        return observation_text(obs)

    def view_file(self, path: str) -> str:
        """
        Show one file of the repository under review.

        Args:
            path: The file's path in the repository, e.g. "shop/pricing.py".

        Returns:
            The review state with the file's numbered lines.
        """
        return self._act(action_type="view_file", file=path)

    def run_tests(self, path: str = "", content: str = "") -> str:
        """
        Run the visible tests, on the current repository or with one file replaced (costs a step).

        Args:
            path: Optional file to replace for this run only.
            content: The complete new content of that file (without line numbers).

        Returns:
            The review state with the test outcomes.
        """
        return self._act(action_type="run_tests", files={path: content} if path else None)

    def apply_fix(self, path: str, content: str) -> str:
        """
        Replace a source file with a fixed version; the fix is run in a sandbox, graded and kept.

        Args:
            path: The source file to replace (never a test file).
            content: The complete new content of the file (without line numbers).

        Returns:
            The review state with the graded execution report.
        """
        return self._act(action_type="apply_fix", files={path: content})

    def detect_bug(self, category: str, path: str = "", line: int = 0, cwe: str = "") -> str:
        """
        Report one bug.

        Args:
            category: One of syntax, logic, security, performance, style.
            path: The file that holds the bug.
            line: The line of the bug (1-based).
            cwe: For security bugs, the CWE id such as "CWE-89".

        Returns:
            Whether the report was confirmed.
        """
        return self._act(action_type="detect_bug", bug_category=category, file=path, line=line or None, cwe=cwe)

    def predict_severity(self, severity: str) -> str:
        """
        Rate the worst bug's severity (only the first prediction counts).

        Args:
            severity: One of low, medium, high, critical.

        Returns:
            The review state.
        """
        return self._act(action_type="predict_severity", severity=severity)

    def submit(self, verdict: str, comment: str = "") -> str:
        """
        Finish the review with a verdict; this ends the episode.

        Args:
            verdict: "request_changes" if the code is buggy, "approve" if it is correct.
            comment: Optional review comment.

        Returns:
            The final review state.
        """
        kinds = {"approve": "approve_code", "approve_code": "approve_code", "request_changes": "request_changes"}
        if verdict not in kinds:
            raise ValueError('verdict must be "request_changes" or "approve"')
        return self._act(action_type=kinds[verdict], comment=comment)

    def get_reward(self) -> float:
        """The episode reward so far (the final reward once the review is over)."""
        return self.reward


__all__ = ["ENV_URL", "SYSTEM_PROMPT", "CodeReviewToolEnv", "render_messages", "reset_options", "reward_from_env",
           "rollout", "rollout_async"]


if __name__ == "__main__":  # a smoke run against ENV_URL with a trivial policy
    def _trivial(prompt: str) -> str:
        return '{"action_type": "request_changes"}'

    out = rollout([{"task_name": "easy", "seed": 1}], _trivial, num_generations=8)
    print({k: out[k] for k in ("task_id", "env_reward", "done_reason")})
