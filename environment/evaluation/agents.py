"""Built-in agents. An Agent makes one Policy per episode; a Policy maps an observation to the next
action or raises AgentError (a typed failure that ends that episode, never the run).

oracle applies the task's reference solution (the broken-task detector: it must score >= 0.95 on
every task); noop requests changes; approve approves; random plays seeded random valid actions;
openai asks a model (environment/evaluation/llm.py, shared with inference.py).
"""

from __future__ import annotations

import random
import zlib
from typing import Any, Protocol

from environment.evaluation import AGENTS
from environment.models import ReviewAction, ReviewObservation
from environment.tasks import CATEGORIES, SEVERITIES, Task


class AgentError(Exception):
    """The agent could not produce a valid action (e.g. malformed model output after retries)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Policy(Protocol):
    def act(self, observation: ReviewObservation) -> ReviewAction: ...


class Agent(Protocol):
    name: str

    def new_episode(self, task: Task | None, seed: int | None) -> Policy: ...

    def describe(self) -> dict[str, Any]: ...


class _Scripted:
    """Plays a fixed list of actions, then requests changes."""

    def __init__(self, actions: list[dict[str, Any]]) -> None:
        self.actions = [ReviewAction(**a) for a in actions]

    def act(self, observation: ReviewObservation) -> ReviewAction:
        return self.actions.pop(0) if self.actions else ReviewAction(action_type="request_changes")


def oracle_actions(task: Task) -> list[dict[str, Any]]:
    """The reference review: every bug with file and line, the solution suggested and applied, the exact
    severity, then the verdict (for a correct repo: run the tests, then approve)."""
    spec = task.spec
    if spec.no_bug:
        return [{"action_type": "run_tests"}, {"action_type": "approve_code"}]
    actions: list[dict[str, Any]] = [
        {"action_type": "detect_bug", "bug_category": b.category, "file": b.file, "line": b.line, "cwe": b.cwe}
        for b in spec.bugs]
    if spec.difficulty != "easy":
        actions += [{"action_type": "suggest_fix", "files": dict(task.solution),
                     "explanation": "reference solution"},
                    {"action_type": "apply_fix", "files": dict(task.solution)}]
    return actions + [{"action_type": "predict_severity", "severity": spec.max_severity},
                      {"action_type": "request_changes"}]


class OracleAgent:
    name = "oracle"

    def new_episode(self, task: Task | None, seed: int | None) -> Policy:
        if task is None:
            raise AgentError("NO_GROUND_TRUTH", "the oracle needs the task (run it over a task selection)")
        return _Scripted(oracle_actions(task))

    def describe(self) -> dict[str, Any]:
        return {"agent": self.name}


class ConstantAgent:
    """Ends every episode with one verdict (noop: request_changes; approve: approve_code)."""

    def __init__(self, name: str, action_type: str) -> None:
        self.name = name
        self.action_type = action_type

    def new_episode(self, task: Task | None, seed: int | None) -> Policy:
        return _Scripted([{"action_type": self.action_type}])

    def describe(self) -> dict[str, Any]:
        return {"agent": self.name}


class _RandomPolicy:
    KINDS = ("detect_bug", "detect_bug", "predict_severity", "view_file", "run_tests", "apply_fix",
             "approve_code", "request_changes")

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def act(self, observation: ReviewObservation) -> ReviewAction:
        rng = self.rng
        kind = rng.choice(self.KINDS)
        files = [f for f in observation.files if f.endswith(".py") and not f.startswith("tests/")] or [
            observation.file_name]
        if kind == "detect_bug":
            lines = max(1, observation.code_snippet.count("\n"))
            return ReviewAction(action_type=kind, bug_category=rng.choice(CATEGORIES), file=observation.file_name,
                                line=rng.randint(1, lines))
        if kind == "predict_severity":
            return ReviewAction(action_type=kind, severity=rng.choice(SEVERITIES))
        if kind == "view_file":
            return ReviewAction(action_type=kind, file=rng.choice(files))
        if kind == "apply_fix":  # a harmless edit of the file on screen (it really runs)
            return ReviewAction(action_type=kind, files={observation.file_name: observation.code_snippet + "\n"})
        return ReviewAction(action_type=kind)


class RandomAgent:
    name = "random"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def new_episode(self, task: Task | None, seed: int | None) -> Policy:
        key = f"{self.seed}:{task.id if task else ''}:{seed}"
        return _RandomPolicy(random.Random(zlib.crc32(key.encode())))

    def describe(self) -> dict[str, Any]:
        return {"agent": self.name, "seed": self.seed}




def make_agent(name: str, **options: Any) -> Agent:
    """Build a built-in agent; `options` go to the openai agent (model, base_url, api_key, ...)."""
    if name == "oracle":
        return OracleAgent()
    if name == "noop":
        return ConstantAgent("noop", "request_changes")
    if name == "approve":
        return ConstantAgent("approve", "approve_code")
    if name == "random":
        return RandomAgent(int(options.get("seed") or 0))
    if name == "openai":
        from environment.evaluation.llm import OpenAIAgent

        return OpenAIAgent.from_env(**options)
    raise ValueError(f"unknown agent {name!r}; expected one of {', '.join(AGENTS)}")
