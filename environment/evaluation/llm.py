"""The model-driven agent (used by `autocoderl eval --agent openai` and inference.py; one implementation).

The model gets a system prompt describing the actions and their JSON form, then the whole task once
(`observation_text`), and after each of its JSON actions a lean answer with only what that step changed
(`answer_text`); the conversation is kept whole. Malformed output gets a bounded number of corrective retries,
then the episode fails with a typed AgentError. Rate limits, server errors (5xx) and timeouts are retried
(max_retries, exponential backoff honouring Retry-After) under a per-call timeout; an endpoint that cannot
be reached at all (refused, unknown host) fails at once with LLM_UNREACHABLE, naming the endpoint. The loop
is ours rather than the openai client's because the client retries refused connections too (26 s of
backoff before a typo'd URL is reported).
"""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any

from pydantic import ValidationError

from environment.corpus.tasks import Task
from environment.evaluation.agents import AgentError
from environment.models import ExecutionReport, ReviewAction, ReviewObservation

DEFAULT_API_BASE = "https://router.huggingface.co/v1"
DEFAULT_MODEL = "Qwen/Qwen2.5-72B-Instruct"
MAX_SNIPPET_CHARS = 16_000
RETRY_STATUSES = frozenset({408, 409, 429})  # and every 5xx
MAX_BACKOFF_S = 8.0
MAX_RETRY_AFTER_S = 60.0

SYSTEM_PROMPT = """You are a senior engineer reviewing a pull request on a small Python repository.
Find the bug, name it, fix it and rate its severity. Some pull requests are correct: approve those.

Answer with exactly ONE JSON object and nothing else (no prose, no code fences). Actions:
{"action_type": "detect_bug", "bug_category": "syntax|logic|security|performance|style",
 "file": "path.py", "line": 12, "cwe": "CWE-89"}
  report one issue (file, line and cwe are optional; cwe only for security issues)
{"action_type": "suggest_fix", "files": {"path.py": "<full new file content>"}, "explanation": "..."}
  propose a fix: it is run (tests, bandit, ruff) and graded but not kept
{"action_type": "apply_fix", "files": {"path.py": "<full new file content>"}}
  apply a fix: it is run, graded and kept (you may give "diff": "<unified diff>" instead of "files")
{"action_type": "predict_severity", "severity": "low|medium|high|critical"}   (only the first counts)
{"action_type": "view_file", "file": "path.py"}   show another file of the repo
{"action_type": "run_tests"}   run the visible tests on the current repo (costs a step)
{"action_type": "request_changes", "comment": "..."}   final verdict for buggy code (ends the episode)
{"action_type": "approve_code", "comment": "..."}   final verdict for correct code (ends the episode)

Rules: "files" holds the COMPLETE new content of each source file you change (never tests, never new
files, without the line-number prefixes shown to you). Do not add imports of os, sys, subprocess,
importlib or test machinery. Repeating the same action is penalised and the step budget is small:
easy (3 steps): detect_bug, predict_severity, request_changes.
medium (5 steps): detect_bug, suggest_fix, apply_fix, predict_severity, request_changes.
hard (8 steps, 2-3 bugs across files): one detect_bug per bug, then suggest_fix and apply_fix with all
fixes together, predict_severity (the worst bug), request_changes."""


REPLY_HINT = "Reply with one JSON action."


def _execution_lines(ex: ExecutionReport) -> list[str]:
    """The execution summary: status, visible test outcomes, hidden counts, grade and findings."""
    failing = [name for name, outcome in ex.visible_tests.items() if outcome != "passed"]
    lines = [f"Last execution: {ex.status}" + (f" ({ex.reason})" if ex.reason else ""),
             f"visible tests: {len(ex.visible_tests) - len(failing)}/{len(ex.visible_tests)} passed"
             + (f"; failing: {', '.join(failing[:10])}" if failing else "")]
    if ex.hidden_total is not None:
        lines.append(f"hidden tests: {ex.hidden_passed}/{ex.hidden_total} passed")
    if ex.fix_score is not None:
        lines.append(f"fix score: {ex.fix_score:.2f}, solved: {ex.solved}")
    if ex.refused:
        lines.append(f"refused: {ex.refused}")
    lines += [f"bandit {b['test_id']} {b['file']}:{b['line']} {b['text']}" for b in ex.bandit[:5]]
    lines += [f"ruff {r['code']} {r['file']}:{r['line']} {r['message']}" for r in ex.ruff[:5]]
    lines += [f"syntax error in {path}: {msg}" for path, msg in ex.syntax_errors.items()]
    if ex.output_tail and failing:
        lines.append("output tail:\n" + ex.output_tail[-1500:])
    return lines


def file_block(name: str, code: str) -> str:
    """One file as the model reads it: numbered lines (the numbers are not part of the file)."""
    numbered = "\n".join(f"{n:4}| {line}" for n, line in enumerate(code[:MAX_SNIPPET_CHARS].splitlines(), 1))
    return f"File {name} (line numbers are not part of the file):\n{numbered}"


def _feedback_line(obs: ReviewObservation) -> str:
    return (f"Your last action ({obs.previous_action}): {obs.previous_action_feedback} "
            f"(reward {obs.reward or 0:+.2f}, episode total {obs.episode_reward:.2f})")


def observation_text(obs: ReviewObservation, reply_hint: str = REPLY_HINT) -> str:
    """The whole review as the model reads it (the first message of an episode): the task, the PR, the
    files, the file on screen with line numbers, and the last action's outcome if there was one."""
    parts = [f"Task {obs.task_id} ({obs.task_difficulty}), step {obs.step_number}/{obs.max_steps}.",
             f"Pull request: {obs.title}\n{obs.pr_description}".strip()]
    if obs.bug_hint:
        parts.append(f"Hint: {obs.bug_hint}")
    if obs.multi_bug:
        parts.append(f"This repo has {obs.bugs_total} bugs; {obs.bugs_found} reported so far.")
    parts.append("Repository files: " + ", ".join(obs.files))
    if obs.previous_action:
        parts.append(_feedback_line(obs))
    if obs.error:
        parts.append(f"Error: {obs.error.code}: {obs.error.message}")
    if obs.execution is not None:
        parts.append("\n".join(_execution_lines(obs.execution)))
    parts.append(file_block(obs.file_name, obs.code_snippet))
    if reply_hint:
        parts.append(reply_hint)
    return "\n\n".join(parts)


def answer_text(obs: ReviewObservation, reply_hint: str = REPLY_HINT) -> str:
    """The answer to one action: only what the step changed (the step count, the feedback and reward, an
    error, the bug count after a report, the execution summary of a run, the file for view_file, the end
    of the episode). The task, the PR and the code stay in the first message (`observation_text`)."""
    parts = [f"Step {obs.step_number}/{obs.max_steps}. " + _feedback_line(obs)]
    if obs.error:
        parts.append(f"Error: {obs.error.code}: {obs.error.message}")
    if obs.multi_bug and obs.previous_action == "detect_bug":
        parts.append(f"Bugs reported so far: {obs.bugs_found} of {obs.bugs_total}.")
    if obs.execution is not None:
        parts.append("\n".join(_execution_lines(obs.execution)))
    if obs.previous_action == "view_file" and obs.error is None:
        parts.append(file_block(obs.file_name, obs.code_snippet))
    if obs.done:
        parts.append(f"The review is over ({obs.done_reason}); solved: {'yes' if obs.solved else 'no'}, "
                     f"episode reward {obs.episode_reward:.2f}.")
    elif reply_hint:
        parts.append(reply_hint)
    return "\n\n".join(parts)


def parse_action(text: str) -> ReviewAction:
    """The first JSON object in `text` as a ReviewAction. Raises ValueError saying what is wrong."""
    start = text.find("{")
    if start < 0:
        raise ValueError("no JSON object found")
    try:
        data, _ = json.JSONDecoder().raw_decode(text[start:])
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON ({exc.msg} at char {exc.pos})") from None
    if not isinstance(data, dict):
        raise ValueError("the JSON value is not an object")
    try:
        return ReviewAction.model_validate({k: v for k, v in data.items() if v is not None})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'action'}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"not a valid action ({problems})") from None


class _Conversation:
    """One episode's chat: the whole task once (first message), then one lean answer per action."""

    def __init__(self, agent: OpenAIAgent, seed: int | None) -> None:
        self.agent = agent
        self.seed = seed
        self.turns: list[dict[str, str]] = []

    def act(self, observation: ReviewObservation) -> ReviewAction:
        text = answer_text(observation) if self.turns else observation_text(observation)
        self.turns.append({"role": "user", "content": text})
        problem = ""
        for _ in range(self.agent.format_retries + 1):
            reply = self.agent.complete([{"role": "system", "content": SYSTEM_PROMPT}, *self.turns], self.seed)
            self.turns.append({"role": "assistant", "content": reply})
            try:
                return parse_action(reply)
            except ValueError as exc:
                problem = str(exc)
                self.turns.append({"role": "user", "content": f"Your reply was not usable: {problem}. Answer with "
                                   "exactly one JSON object for one action, as described, and nothing else."})
        raise AgentError("INVALID_AGENT_OUTPUT",
                         f"no valid action after {self.agent.format_retries + 1} attempts: {problem}")


class OpenAIAgent:
    """Chat-completions agent for any OpenAI-compatible endpoint."""

    name = "openai"

    def __init__(self, *, model: str, base_url: str, api_key: str, timeout_s: float = 60.0, max_retries: int = 4,
                 format_retries: int = 2, temperature: float = 0.0, max_tokens: int = 4096) -> None:
        from openai import OpenAI

        self.model = model
        self.base_url = base_url
        self.format_retries = format_retries
        self.temperature = temperature
        self.max_tokens = max_tokens
        self.timeout_s = timeout_s
        self.max_retries = max(0, max_retries)
        self.client = OpenAI(base_url=base_url, api_key=api_key, timeout=timeout_s, max_retries=0)

    @classmethod
    def from_env(cls, *, model: str | None = None, base_url: str | None = None, api_key: str | None = None,
                 **options: Any) -> OpenAIAgent:
        """API_BASE_URL, MODEL_NAME, HF_TOKEN or OPENAI_API_KEY, LLM_TIMEOUT, LLM_MAX_RETRIES,
        FORMAT_RETRIES, TEMPERATURE, MAX_TOKENS (explicit arguments win)."""
        env = os.environ
        key = api_key or env.get("HF_TOKEN") or env.get("OPENAI_API_KEY") or env.get("API_KEY") or "no-key"
        return cls(model=model or env.get("MODEL_NAME") or DEFAULT_MODEL,
                   base_url=base_url or env.get("API_BASE_URL") or DEFAULT_API_BASE, api_key=key,
                   timeout_s=float(options.get("timeout_s") or env.get("LLM_TIMEOUT") or 60),
                   max_retries=int(options.get("max_retries") or env.get("LLM_MAX_RETRIES") or 4),
                   format_retries=int(options.get("format_retries") or env.get("FORMAT_RETRIES") or 2),
                   temperature=float(env.get("TEMPERATURE") or 0.0),
                   max_tokens=int(env.get("MAX_TOKENS") or 4096))

    def new_episode(self, task: Task | None, seed: int | None) -> _Conversation:
        return _Conversation(self, seed)  # the model never sees the task's ground truth

    def describe(self) -> dict[str, Any]:
        return {"agent": self.name, "model": self.model, "api_base": self.base_url, "timeout_s": self.timeout_s,
                "max_retries": self.max_retries, "format_retries": self.format_retries,
                "temperature": self.temperature}

    def complete(self, messages: list[dict[str, str]], seed: int | None) -> str:
        """One chat completion. Raises AgentError for what is left after max_retries transient failures."""
        import openai

        extra = {"seed": seed} if seed is not None and self.temperature > 0 else {}
        for attempt in range(self.max_retries + 1):
            try:
                response = self.client.chat.completions.create(model=self.model, messages=messages,
                                                               temperature=self.temperature,
                                                               max_tokens=self.max_tokens, **extra)
                break
            except openai.APITimeoutError as exc:
                failure = AgentError("LLM_TIMEOUT", f"{self.base_url} gave no answer within "
                                                    f"{self.timeout_s:.0f} s (after {attempt} retries): {exc}")
                retry_after = None
            except openai.APIConnectionError as exc:  # nothing listening, unknown host, TLS failure
                cause = exc.__cause__ or exc
                raise AgentError("LLM_UNREACHABLE", f"cannot reach the model endpoint {self.base_url}: "
                                                    f"{type(cause).__name__}: {cause}") from None
            except openai.APIStatusError as exc:
                if exc.status_code not in RETRY_STATUSES and exc.status_code < 500:
                    raise AgentError("LLM_ERROR", f"{self.base_url} answered {exc.status_code} "
                                                  f"{type(exc).__name__}: {exc}") from None
                code = "LLM_RATE_LIMITED" if exc.status_code == 429 else "LLM_ERROR"
                failure = AgentError(code, f"{self.base_url} still answers {exc.status_code} after "
                                           f"{self.max_retries} retries: {exc}")
                retry_after = exc.response.headers.get("retry-after")
            except openai.APIError as exc:
                raise AgentError("LLM_ERROR", f"{self.base_url}: {type(exc).__name__}: {exc}") from None
            if attempt == self.max_retries:
                raise failure from None
            time.sleep(backoff_s(attempt, retry_after))
        choices = response.choices or []
        content = choices[0].message.content if choices else None
        return content or ""


def backoff_s(attempt: int, retry_after: str | None = None) -> float:
    """Seconds to wait before retry `attempt + 1`: the server's Retry-After (seconds) when it is sane,
    else exponential from 0.5 s, capped at 8 s, with jitter."""
    try:
        wanted = float(retry_after) if retry_after is not None else None
    except ValueError:  # an HTTP date: rare from model APIs; fall back to our own schedule
        wanted = None
    if wanted is not None and 0 <= wanted <= MAX_RETRY_AFTER_S:
        return wanted
    return min(0.5 * 2 ** attempt, MAX_BACKOFF_S) * random.uniform(0.75, 1.0)
