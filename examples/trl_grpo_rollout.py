"""GRPO with TRL against an AutoCodeRL server: a rollout helper, an environment_factory class and a
TRL rollout_func.

Start a server first (`python -m environment.cli serve`, or the Docker image) and point AUTOCODERL_URL
at it (set MAX_CONCURRENT_ENVS on the server to at least the generation batch size). Importing this module
needs no TRL; `trl_rollout_func` needs TRL and torch (`pip install "autocoderl[train]"`). The tests drive
all three with a real `GRPOTrainer` (tests/test_trl_training.py) and with scripted policies
(tests/test_trl_example.py).

Every episode's first message holds the whole task (PR, files, the code with line numbers); every answer
after an action holds only what that action changed (feedback and reward, the execution summary, the
file for view_file): the conversation never repeats the PR and the code.

1. `rollout(prompts, policy, num_generations=8)` (or `await rollout_async(...)`): for every prompt row,
   `num_generations` episodes of the same task (the same reset options and seed, so GRPO compares like
   with like), each in its own WebSocket session, all concurrently (up to `max_concurrency`). The
   policy is `policy(prompt: str) -> str` (sync or async): it gets the conversation so far as text and
   answers with one JSON action. A policy may instead return a dict with "text" plus anything else;
   those extras come back per turn in "policy_outputs". Returns a dict of per-rollout lists: prompt,
   completion (the conversation after the prompt, as messages), env_reward, reward_components, solved,
   task_id, done_reason, num_turns, format_errors, group. `reward_from_env` is a matching TRL reward function.

2. `CodeReviewToolEnv` for `GRPOTrainer(environment_factory=CodeReviewToolEnv, ...)`: no-arg
   constructor, `reset(**row) -> str` (the row's reset options: task_name, task_id, category, cwe,
   tier, split, seed, reward_mode; other columns such as "prompt" are ignored), the tools view_file,
   run_tests, apply_fix, detect_bug, predict_severity and submit, and `get_reward()` (the episode
   reward). A tool used wrongly, or after the episode ended, raises ValueError, which TRL hands back to
   the model as the tool result.

    trainer = GRPOTrainer(model=..., environment_factory=CodeReviewToolEnv, args=GRPOConfig(max_completion_length=4096),
                          train_dataset=Dataset.from_dict({"prompt": [[{"role": "user", "content": TOOL_PROMPT}]] * 64,
                                                           "task_name": ["medium"] * 64, "seed": list(range(64))}))

3. `trl_rollout_func()` for `GRPOTrainer(rollout_func=..., reward_funcs=reward_from_env)`: the JSON-action
   protocol at token level. The prompts are `task_prompt(**reset_options)` strings; each rollout is one
   episode whose completion is every model turn plus every environment answer (`env_mask` 0 on the
   answers, so only the model's tokens are trained). Generation uses the trainer's model by default
   (`transformers_generate`); pass `generate=` for another backend (e.g. a vLLM server).

    trainer = GRPOTrainer(model=..., reward_funcs=reward_from_env, rollout_func=trl_rollout_func(),
                          train_dataset=Dataset.from_dict({"prompt": [task_prompt(task_name="medium", seed=s)
                                                                      for s in range(64)]}), args=GRPOConfig(...))
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from environment.client import AutoCodeEnvClient
from environment.evaluation.llm import SYSTEM_PROMPT, answer_text, observation_text, parse_action
from environment.evaluation.rollout import RemoteSession, Session, step_when_ready
from environment.models import ReviewAction, ReviewObservation

ENV_URL = os.environ.get("AUTOCODERL_URL", "http://127.0.0.1:8000")
RESET_KEYS = ("task_name", "task_id", "category", "cwe", "tier", "split", "seed", "reward_mode")
ROLE_TAG = "<|{role}|>"
TOOL_PROMPT = ("You are reviewing a pull request on a small Python repository. Report each bug with detect_bug, "
               "fix the code with apply_fix (the complete new file), rate the worst bug with predict_severity, then "
               "submit: request_changes for buggy code, approve for a correct change. Every tool call costs one "
               "step of a small budget (easy 3, medium 5, hard 8).")
TOOL_HINT = "Use the tools; finish with submit."
TASK_PROMPT_PREFIX = "autocoderl-task: "
FORMAT_HINT = "Answer with exactly one JSON object for one action."

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


def task_prompt(**options: Any) -> str:
    """A dataset prompt naming the episode's reset options (what `trl_rollout_func` reads back); the model
    never sees it: its first message is the review itself."""
    unknown = set(options) - set(RESET_KEYS)
    if unknown:
        raise ValueError(f"unknown reset option(s) {sorted(unknown)}; expected some of {list(RESET_KEYS)}")
    return TASK_PROMPT_PREFIX + json.dumps(options, sort_keys=True)


def options_from_prompt(prompt: str | list[dict[str, Any]], index: int) -> dict[str, Any]:
    """The reset options of a `task_prompt` (also as the last message of a conversational prompt); any other
    prompt gets the default options with seed `index`."""
    text = prompt[-1].get("content", "") if isinstance(prompt, list) and prompt else prompt
    if isinstance(text, str) and text.startswith(TASK_PROMPT_PREFIX):
        return reset_options(json.loads(text[len(TASK_PROMPT_PREFIX):]), index)
    return reset_options("", index)


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
                completion.append({"role": "user", "content": f"Your reply was not usable: {exc}. {FORMAT_HINT}"})
                continue
            obs = (await env.step(action)).observation
            completion.append({"role": "user", "content": answer_text(obs)})
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
    """TRL reward function: the environment's episode reward, forwarded by the rollout. Under TRL it also
    logs each rollout's actions (completions table column "actions") and the mean turns, solve rate and
    format errors (metrics env/turns, env/solved, env/format_errors) when the rollout provides them."""
    log_extra, log_metric = kwargs.get("log_extra"), kwargs.get("log_metric")
    if log_extra is not None and kwargs.get("actions") is not None:
        log_extra("actions", [" ".join(a) for a in kwargs["actions"]])
    if log_metric is not None:
        for key, name in (("num_turns", "env/turns"), ("solved", "env/solved"), ("format_errors", "env/format_errors")):
            values = kwargs.get(key)
            if values:
                log_metric(name, sum(float(v) for v in values) / len(values))
    return [float(r) for r in env_reward]


class CodeReviewToolEnv:
    """One AutoCodeRL review session per instance, for TRL's `environment_factory` (see the module docstring).

    The session is a WebSocket session on ENV_URL; a subclass may override `_open_session` (e.g. an
    in-process `environment.evaluation.rollout.LocalSession`)."""

    def __init__(self) -> None:
        self._session: Session | None = None
        self._clear()

    def _clear(self) -> None:
        self.reward = 0.0
        self.reward_components: dict[str, float] = {}
        self.done = False
        self.solved = False
        self._obs: ReviewObservation | None = None

    def _open_session(self) -> Session:
        return RemoteSession(ENV_URL)

    def _connect(self) -> Session:
        if self._session is None:
            self._session = self._open_session()
        return self._session

    def _close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.close()

    def reset(self, **row: Any) -> str:
        """Start a new review on this instance's session; returns the whole task as text."""
        self._clear()
        options = {k: row[k] for k in RESET_KEYS if row.get(k) is not None}
        self._obs = self._connect().reset(**options)
        return "\n\n" + observation_text(self._obs, reply_hint=TOOL_HINT)  # TRL appends it to the prompt

    def _act(self, **fields: Any) -> str:
        """Send one action; returns the lean answer (only what the action changed)."""
        if self._obs is None:
            raise ValueError("No review in progress.")
        if self.done:
            raise ValueError("The review is over; no further actions.")
        try:
            action = ReviewAction.model_validate({k: v for k, v in fields.items() if v not in (None, "")})
        except Exception as exc:
            raise ValueError(f"Invalid action: {exc}") from None
        obs = step_when_ready(self._connect(), action)
        self._obs = obs
        self.reward, self.reward_components = float(obs.episode_reward), dict(obs.reward_breakdown)
        self.done, self.solved = bool(obs.done), bool(obs.solved)
        return answer_text(obs, reply_hint="")

    def view_file(self, path: str) -> str:
        """
        Show one file of the repository under review.

        Args:
            path: The file's path in the repository, e.g. "shop/pricing.py".

        Returns:
            The file's numbered lines.
        """
        return self._act(action_type="view_file", file=path)

    def run_tests(self, path: str = "", content: str = "") -> str:
        """
        Run the visible tests, on the current repository or with one file replaced (costs a step).

        Args:
            path: Optional file to replace for this run only.
            content: The complete new content of that file (without line numbers).

        Returns:
            The test outcomes and tool findings.
        """
        return self._act(action_type="run_tests", files={path: content} if path else None)

    def apply_fix(self, path: str, content: str) -> str:
        """
        Replace a source file with a fixed version; the fix is run in a sandbox, graded and kept.

        Args:
            path: The source file to replace (never a test file).
            content: The complete new content of the file (without line numbers).

        Returns:
            The graded execution report.
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
            The feedback on the prediction.
        """
        return self._act(action_type="predict_severity", severity=severity)

    def submit(self, verdict: str, comment: str = "") -> str:
        """
        Finish the review with a verdict; this ends the episode.

        Args:
            verdict: "request_changes" if the code is buggy, "approve" if it is correct.
            comment: Optional review comment.

        Returns:
            The final reward.
        """
        kinds = {"approve": "approve_code", "approve_code": "approve_code", "request_changes": "request_changes"}
        if verdict not in kinds:
            raise ValueError('verdict must be "request_changes" or "approve"')
        return self._act(action_type=kinds[verdict], comment=comment)

    def get_reward(self) -> float:
        """The episode reward so far (the final reward once the review is over)."""
        return self.reward


# --- TRL rollout_func: the JSON-action protocol at token level ------------------------------------------------------

Generate = Callable[[Any, list[list[int]], int], list[tuple[list[int], list[float]]]]
"""`generate(trainer, contexts, max_new_tokens)`: one continuation per context (token ids, ending with the
end-of-turn token when the model stopped) with the sampled tokens' log-probabilities."""


def transformers_generate(trainer: Any, contexts: list[list[int]], max_new_tokens: int) -> list[
        tuple[list[int], list[float]]]:
    """Sample one turn per context with the trainer's own model and generation settings (left-padded batch)."""
    import torch

    tokenizer = trainer.processing_class
    model = trainer.accelerator.unwrap_model(trainer.model)
    pad = tokenizer.pad_token_id
    width = max(len(c) for c in contexts)
    device = next(model.parameters()).device
    input_ids = torch.tensor([[pad] * (width - len(c)) + c for c in contexts], device=device)
    attention = torch.tensor([[0] * (width - len(c)) + [1] * len(c) for c in contexts], device=device)
    config = getattr(trainer, "generation_config", None)
    options: dict[str, Any] = {"do_sample": True, "temperature": getattr(trainer, "temperature", 1.0)} \
        if config is None else {"generation_config": config}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            out = model.generate(input_ids=input_ids, attention_mask=attention, max_new_tokens=max_new_tokens,
                                 return_dict_in_generate=True, output_scores=True, pad_token_id=pad, **options)
        scores = model.compute_transition_scores(out.sequences, out.scores, normalize_logits=True)
    finally:
        model.train(was_training)
    stop = set(getattr(trainer, "eos_token_ids", None) or [tokenizer.eos_token_id])
    turns = []
    for row in range(len(contexts)):
        ids = out.sequences[row, width:].tolist()
        end = next((i + 1 for i, t in enumerate(ids) if t in stop), len(ids))
        turns.append((ids[:end], [float(x) for x in scores[row, :end].tolist()]))
    return turns


def _chat_template(trainer: Any) -> str | None:
    """A prefix-preserving chat template (TRL's training variant when the tokenizer's is not one)."""
    template = getattr(trainer, "chat_template", None)
    if template:
        return template
    from trl.chat_template_utils import get_training_chat_template, is_chat_template_prefix_preserving

    tokenizer = trainer.processing_class
    if is_chat_template_prefix_preserving(tokenizer):
        return None
    try:
        return get_training_chat_template(tokenizer)
    except ValueError:  # no training variant known: use the tokenizer's own
        return None


class _TokenEpisode:
    """One rollout of `trl_rollout_func`: a session, the prompt ids and the growing completion."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        self.session: Session | None = None
        self.obs: ReviewObservation | None = None
        self.prompt_ids: list[int] = []
        self.completion_ids: list[int] = []
        self.logprobs: list[float] = []
        self.env_mask: list[int] = []
        self.actions: list[str] = []
        self.turns = 0
        self.format_errors = 0
        self.pending: str = ""
        self.finished = False

    def add(self, ids: list[int], logprobs: list[float] | None, from_model: bool) -> None:
        self.completion_ids += ids
        self.logprobs += logprobs if logprobs is not None else [0.0] * len(ids)
        self.env_mask += [1 if from_model else 0] * len(ids)

    def result(self) -> dict[str, Any]:
        obs = self.obs
        return {"env_reward": float(obs.episode_reward) if obs else 0.0,
                "reward_components": dict(obs.reward_breakdown) if obs else {},
                "solved": bool(obs.solved) if obs else False, "task_id": obs.task_id if obs else "",
                "done_reason": obs.done_reason if obs else None, "num_turns": self.turns,
                "format_errors": self.format_errors, "actions": list(self.actions)}


def trl_rollout_func(*, generate: Generate | None = None, base_url: str | None = None, max_turns: int | None = None,
                     instructions: str = SYSTEM_PROMPT, options_for: Callable[[Any, int], dict[str, Any]] = (
                         options_from_prompt), max_concurrency: int = 64) -> Callable[[Sequence[Any], Any], dict]:
    """A TRL `rollout_func(prompts, trainer)`: one episode per prompt (TRL already repeats each prompt
    `num_generations` times), all episodes in lockstep: one batched generation per turn, then every
    episode's action is sent to its own session concurrently.

    Returns prompt_ids, completion_ids (model turns and environment answers), logprobs (0 on answers),
    env_mask (1 on model tokens), and per rollout env_reward, reward_components, solved, task_id,
    done_reason, num_turns, format_errors and actions (forwarded to the reward functions:
    `reward_funcs=reward_from_env`). A completion stops growing before it would pass the trainer's
    `max_completion_length`.
    """

    def rollout_func(prompts: Sequence[Any], trainer: Any) -> dict[str, list[Any]]:
        tokenizer = trainer.processing_class
        template = _chat_template(trainer)
        budget = int(trainer.max_completion_length)
        gen = generate or transformers_generate
        episodes = [_TokenEpisode(options_for(prompt, i)) for i, prompt in enumerate(prompts)]

        def render(messages: list[dict[str, str]], generation_prompt: bool) -> list[int]:
            return list(tokenizer.apply_chat_template(messages, tokenize=True, add_generation_prompt=generation_prompt,
                                                      chat_template=template, return_dict=False))

        head = render([{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}], False)
        eos = tokenizer.eos_token_id
        if eos in head:  # the model's turn ends at the end-of-turn token; what the template adds after it is ours
            head = head[:len(head) - head[::-1].index(eos)]

        def user_turn(text: str) -> list[int]:
            full = render([{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"},
                           {"role": "user", "content": text}], True)
            if full[:len(head)] != head:
                raise ValueError("the chat template is not prefix-preserving; pass a trainer with a training template")
            return full[len(head):]

        def start(episode: _TokenEpisode) -> None:
            episode.session = RemoteSession(base_url or ENV_URL)
            episode.obs = episode.session.reset(**episode.options)
            episode.prompt_ids = render([{"role": "system", "content": instructions},
                                         {"role": "user", "content": observation_text(episode.obs)}], True)

        def act(episode: _TokenEpisode) -> None:
            text = episode.pending
            try:
                action = parse_action(text)
            except ValueError as exc:
                episode.format_errors += 1
                answer = f"Your reply was not usable: {exc}. {FORMAT_HINT}"
            else:
                episode.actions.append(action.action_type)
                assert episode.session is not None
                episode.obs = step_when_ready(episode.session, action)
                if episode.obs.done:
                    episode.finished = True
                    return
                answer = answer_text(episode.obs)
            ids = user_turn(answer)
            if len(episode.completion_ids) + len(ids) >= budget:
                episode.finished = True  # no room for the answer and another turn
                return
            episode.add(ids, None, from_model=False)

        with ThreadPoolExecutor(max_workers=max(1, min(max_concurrency, len(episodes))),
                                thread_name_prefix="rollout") as pool:
            try:
                list(pool.map(start, episodes))
                while True:
                    active = [e for e in episodes if not e.finished and e.obs is not None and not e.obs.done
                              and e.turns < (max_turns if max_turns is not None else e.obs.max_steps + 2)
                              and len(e.completion_ids) < budget]
                    if not active:
                        break
                    room = max(budget - len(e.completion_ids) for e in active)
                    outputs = gen(trainer, [e.prompt_ids + e.completion_ids for e in active], room)
                    for episode, (ids, logprobs) in zip(active, outputs, strict=True):
                        ids, logprobs = ids[:budget - len(episode.completion_ids)], logprobs[:len(ids)]
                        episode.add(ids, logprobs, from_model=True)
                        episode.turns += 1
                        episode.pending = tokenizer.decode(ids, skip_special_tokens=True)
                    list(pool.map(act, active))
            finally:
                for episode in episodes:
                    if episode.session is not None:
                        episode.session.close()
        results = [e.result() for e in episodes]
        batch: dict[str, list[Any]] = {"prompt_ids": [e.prompt_ids for e in episodes],
                                       "completion_ids": [e.completion_ids for e in episodes],
                                       "logprobs": [e.logprobs for e in episodes],
                                       "env_mask": [e.env_mask for e in episodes]}
        for key in results[0] if results else ():
            batch[key] = [r[key] for r in results]
        return batch

    return rollout_func


__all__ = ["ENV_URL", "SYSTEM_PROMPT", "TOOL_PROMPT", "CodeReviewToolEnv", "options_from_prompt", "render_messages",
           "reset_options", "reward_from_env", "rollout", "rollout_async", "task_prompt", "transformers_generate",
           "trl_rollout_func"]


if __name__ == "__main__":  # a smoke run against ENV_URL with a trivial policy
    def _trivial(prompt: str) -> str:
        return '{"action_type": "request_changes"}'

    out = rollout([{"task_name": "easy", "seed": 1}], _trivial, num_generations=8)
    print({k: out[k] for k in ("task_id", "env_reward", "done_reason")})
