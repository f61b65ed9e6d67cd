"""Built-in agents. An Agent makes one Policy per episode; a Policy maps an observation to the next
action or raises AgentError (a typed failure that ends that episode, never the run).

oracle applies the task's reference solution (the broken-task detector: it must score >= 0.95 on
every task); reader plays the same review but sees only the text a model reads (the first message,
then the lean answers) and takes from it every fact about the episode it acts on; noop requests
changes; approve approves; random plays seeded random valid actions; openai asks a model
(environment/evaluation/llm.py, shared with inference.py).
"""

from __future__ import annotations

import difflib
import random
import re
import zlib
from dataclasses import dataclass, field
from typing import Any, Protocol

from environment.corpus.tasks import CATEGORIES, SEVERITIES, Task
from environment.evaluation import AGENTS
from environment.models import ReviewAction, ReviewObservation


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


_NUMBERED = re.compile(r"^ *(\d+)\| (.*)$")


@dataclass
class TextFacts:
    """What the reader has read so far (every field comes from the rendered text, never the observation)."""

    difficulty: str = ""
    step: int = 0
    max_steps: int = 0
    files: list[str] = field(default_factory=list)
    bugs_total: int | None = None
    bugs_found: int = 0
    shown: dict[str, str] = field(default_factory=dict)
    fix_score: float | None = None
    fix_solved: bool | None = None
    visible: tuple[int, int] | None = None
    episode_reward: float = 0.0
    done: bool = False
    solved: bool | None = None

    def read(self, text: str) -> None:
        """Update the facts from one message (the task, or an answer)."""
        if m := re.search(r"^Task \S+ \((\w+)\), step (\d+)/(\d+)\.", text, re.M):
            self.difficulty, self.step, self.max_steps = m.group(1), int(m.group(2)), int(m.group(3))
        if m := re.search(r"^Step (\d+)/(\d+)\.", text, re.M):
            self.step, self.max_steps = int(m.group(1)), int(m.group(2))
        if m := re.search(r"^This repo has (\d+) bugs; (\d+) reported", text, re.M):
            self.bugs_total, self.bugs_found = int(m.group(1)), int(m.group(2))
        if m := re.search(r"^Bugs reported so far: (\d+) of (\d+)\.", text, re.M):
            self.bugs_found, self.bugs_total = int(m.group(1)), int(m.group(2))
        if m := re.search(r"^Repository files: (.*)$", text, re.M):
            self.files = [f.strip() for f in m.group(1).split(",")]
        if m := re.search(r"episode total (-?\d+\.\d+)", text):
            self.episode_reward = float(m.group(1))
        if m := re.search(r"^fix score: (\d+\.\d+), solved: (True|False)", text, re.M):
            self.fix_score, self.fix_solved = float(m.group(1)), m.group(2) == "True"
        if m := re.search(r"^visible tests: (\d+)/(\d+) passed", text, re.M):
            self.visible = (int(m.group(1)), int(m.group(2)))
        if m := re.search(r"^The review is over \(\w+\); solved: (yes|no), episode reward (-?\d+\.\d+)", text, re.M):
            self.done, self.solved, self.episode_reward = True, m.group(1) == "yes", float(m.group(2))
        for m in re.finditer(r"^File (\S+) \(line numbers are not part of the file\):\n", text, re.M):
            lines = []
            for line in text[m.end():].split("\n"):
                numbered = _NUMBERED.match(line)
                if numbered is None or int(numbered.group(1)) != len(lines) + 1:
                    break
                lines.append(numbered.group(2))
            self.shown[m.group(1)] = "\n".join(lines) + "\n"


def _diff(shown: dict[str, str], solution: dict[str, str]) -> str:
    return "".join("".join(difflib.unified_diff(shown[p].splitlines(keepends=True), text.splitlines(keepends=True),
                                                f"a/{p}", f"b/{p}")) for p, text in sorted(solution.items()))


class _Reader:
    """The reference review, steered by the text: views the files it will fix while spare steps remain,
    stops reporting when the text says every bug is reported, sends its fix as a diff against the code
    it was shown (whole files for code it was not), runs the visible tests on it when a step is spare,
    and keeps what the text said in `facts`."""

    def __init__(self, task: Task, facts: TextFacts) -> None:
        self.plan = oracle_actions(task)
        self.solution = dict(task.solution)
        self.facts = facts
        self.messages: list[str] = []
        self.tested = False

    def _fix(self, action_type: str) -> ReviewAction:
        if all(p in self.facts.shown for p in self.solution):
            return ReviewAction(action_type=action_type, diff=_diff(self.facts.shown, self.solution))
        return ReviewAction(action_type=action_type, files=dict(self.solution))

    def act(self, observation: ReviewObservation) -> ReviewAction:
        from environment.evaluation.llm import answer_text, observation_text

        text = answer_text(observation) if self.messages else observation_text(observation)
        self.messages.append(text)
        facts = self.facts
        facts.read(text)
        while self.plan and self.plan[0]["action_type"] == "detect_bug" and facts.bugs_total is not None \
                and facts.bugs_found >= facts.bugs_total:
            self.plan.pop(0)  # the text says every bug is reported
        spare = facts.max_steps - facts.step - len(self.plan)
        kinds = [a["action_type"] for a in self.plan]
        if spare > 0 and "apply_fix" in kinds:
            unseen = [p for p in sorted(self.solution) if p not in facts.shown and p in facts.files]
            if unseen:
                return ReviewAction(action_type="view_file", file=unseen[0])
            if kinds[0] == "apply_fix" and not self.tested:
                self.tested = True
                return self._fix("run_tests")
        if not self.plan:
            return ReviewAction(action_type="request_changes")
        action = self.plan.pop(0)
        if action["action_type"] in ("suggest_fix", "apply_fix"):
            return self._fix(action["action_type"])
        return ReviewAction(**action)


class ReaderAgent:
    """The reference review played from the text only (see `_Reader`); `facts[(task id, seed)]` holds what
    that episode read (the answer to its last action is not read: the episode is over by then)."""

    name = "reader"

    def __init__(self) -> None:
        self.facts: dict[tuple[str, int | None], TextFacts] = {}

    def new_episode(self, task: Task | None, seed: int | None) -> Policy:
        if task is None:
            raise AgentError("NO_GROUND_TRUTH", "the reader needs the task (run it over a task selection)")
        facts = self.facts[(task.id, seed)] = TextFacts()
        return _Reader(task, facts)

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
    if name == "reader":
        return ReaderAgent()
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
