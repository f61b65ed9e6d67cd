"""One review episode: the rules of each action and the reward it earns. Pure logic over a Task,
an Evaluator (the only thing that runs code) and a Ledger of reward components."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from environment import rewards as R
from environment.corpus.tasks import SEVERITIES, Task
from environment.evaluator import Evaluation, Evaluator
from environment.models import ErrorInfo, ExecutionReport, ReviewAction
from environment.views import graded_view, status_label, visible_view
from graders.patching import PatchError, apply_fix
from graders.weights import SIMILARITY_WEIGHT


class StepRejected(Exception):
    """A client mistake caught before the step did anything (an unknown file): a typed error, no step counted."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class StepOutcome:
    feedback: str
    error: ErrorInfo | None = None
    execution: ExecutionReport | None = None
    evaluation: Evaluation | None = None


@dataclass
class Episode:
    task: Task
    evaluator: Evaluator
    runner_name: str
    isolation: str
    ledger: R.Ledger = field(init=False)
    current: dict[str, str] = field(init=False)
    step_number: int = 0
    found: set[int] = field(default_factory=set)
    """Bugs reported with their category, file and line."""
    severity_guess: str | None = None
    category_guess: str | None = None
    last_action: str | None = None
    verdict: str | None = None
    solved_fix: bool = False
    test_status: str = "not_run"
    viewing: str = ""
    severity_scored: bool = False
    """The first severity prediction came after a bug was located (so it was scored)."""
    evidence: bool = False
    """The agent ran the tests (run_tests or a fix): only then does approving a correct repo count."""

    def __post_init__(self) -> None:
        self.ledger = R.Ledger(self.task.spec.difficulty, self.task.spec.no_bug)
        self.current = dict(self.task.repo)
        self.viewing = self.task.entry_file

    @property
    def max_steps(self) -> int:
        return R.MAX_STEPS[self.task.spec.difficulty]

    @property
    def done(self) -> bool:
        return self.verdict is not None or self.step_number >= self.max_steps

    @property
    def solved(self) -> bool:
        spec = self.task.spec
        if spec.no_bug:
            return self.verdict == "approve_code" and self.evidence
        if spec.difficulty == "easy":  # a detect-only review: every bug located and its severity named
            return (len(self.found) == len(spec.bugs) and self.severity_guess == spec.max_severity
                    and self.severity_scored and self.verdict != "approve_code")
        return self.solved_fix

    def step(self, action: ReviewAction) -> StepOutcome:
        """Apply one action. If it raises (SandboxError, StepRejected, ...) the episode is left as it was."""
        unknown = sorted({p for p in (*(action.files or {}), action.file or "") if p} - set(self.current))
        if unknown and action.action_type in ("view_file", "suggest_fix", "apply_fix", "run_tests"):
            raise StepRejected("UNKNOWN_FILE", f"no file {unknown[0][:200]!r} in this repo (files: "
                               f"{', '.join(sorted(self.current))[:500]}); this step was not counted")
        signature = action.model_dump_json(exclude={"metadata"})
        repeated = signature == self.last_action
        handler = getattr(self, f"_{action.action_type}")
        outcome: StepOutcome = handler(action)
        self.last_action = signature
        self.step_number += 1
        if repeated:
            self.ledger.add("penalties", R.REPEATED_ACTION)
            outcome.feedback = "Repeated the previous action (penalty). " + outcome.feedback
        return outcome

    def _waste(self, message: str, error: ErrorInfo | None = None) -> StepOutcome:
        self.ledger.add("penalties", R.WASTED_STEP)
        return StepOutcome(message, error)

    def _detect_bug(self, action: ReviewAction) -> StepOutcome:
        """A report is confirmed when an unreported bug of that category is in the named file at the named line
        (±LINE_TOLERANCE); it earns that bug's share of DETECT. Anything else is a false report (penalty), so
        guessing a category, a file or a line costs more than it can earn."""
        self.category_guess = action.bug_category
        bugs = self.task.spec.bugs
        same_kind = [i for i, b in enumerate(bugs) if b.category == action.bug_category]
        if same_kind and all(i in self.found for i in same_kind):
            return self._waste("That issue was already reported.")
        def distance(i: int) -> int:  # a bug declared without a line is located by its file
            line = bugs[i].line
            return 0 if line is None else abs(action.line - line) if action.line is not None else R.LINE_TOLERANCE + 1

        hits = [i for i in same_kind if i not in self.found and bugs[i].file == action.file
                and distance(i) <= R.LINE_TOLERANCE]
        if not hits:
            self.ledger.add("penalties", R.WRONG_DETECTION)
            return StepOutcome("No issue of that kind was confirmed there (penalty for a false report; a report "
                               "names the category, the file and the line).")
        index = min(hits, key=distance)
        self.found.add(index)
        self.ledger.components["detect"] += R.DETECT / len(bugs) * self.ledger.factor \
            if self.ledger.counts("detect") else 0
        return StepOutcome(f"Issue confirmed ({len(self.found)}/{len(bugs)} reported).")

    def _changes(self, action: ReviewAction) -> tuple[dict[str, str] | None, ErrorInfo | None]:
        try:
            changed = apply_fix(self.current, action.files, action.diff)
        except PatchError as exc:
            return None, ErrorInfo(code="PATCH_DOES_NOT_APPLY", message=str(exc), field="diff")
        changed = {p: t for p, t in changed.items() if self.task.repo.get(p) != t or p not in self.task.repo}
        return changed, None

    def _similarity(self, changes: dict[str, str]) -> float:
        def changed_lines(files: dict[str, str]) -> list[str]:
            lines: list[str] = []
            for path, text in sorted(files.items()):
                base = self.task.repo.get(path, "").splitlines()
                lines += [d for d in difflib.unified_diff(base, text.splitlines(), lineterm="", n=0)
                          if d[:1] in "+-" and not d.startswith(("+++", "---"))]
            return lines
        mine, reference = changed_lines(changes), changed_lines(self.task.solution)
        return difflib.SequenceMatcher(None, mine, reference).ratio() if mine and reference else 0.0

    def _evaluate_fix(self, action: ReviewAction, component: str) -> StepOutcome:
        changes, error = self._changes(action)
        if error is not None:
            return self._waste(f"The fix could not be applied: {error.message}", error)
        if not changes:
            return self._waste("The fix changes nothing (wasted step).")
        evaluation = self.evaluator.evaluate(self.task, {**{p: t for p, t in self.current.items()
                                                            if p in self.task.source_files
                                                            and t != self.task.repo[p]}, **changes})
        view = graded_view(evaluation, self.runner_name, self.isolation)
        self.test_status = status_label(view)
        self.evidence = self.evidence or evaluation.result is not None
        score = evaluation.report.fix_score
        if component == "suggest":
            sim = self._similarity(changes) if score > 0 else 0.0
            value = R.SUGGEST * ((1 - SIMILARITY_WEIGHT) * score + SIMILARITY_WEIGHT * sim)
        else:
            value = R.APPLY * score
            self.current.update(changes)
            self.solved_fix = evaluation.report.solved
        self.ledger.raise_to(component, value)
        word = "Suggested" if component == "suggest" else "Applied"
        solved = " (solved)" if evaluation.report.solved else ""
        verdict = evaluation.report.refused or f"fix score {score:.2f}{solved}"
        return StepOutcome(f"{word} fix evaluated: {verdict}.", execution=view, evaluation=evaluation)

    def _suggest_fix(self, action: ReviewAction) -> StepOutcome:
        return self._evaluate_fix(action, "suggest")

    def _apply_fix(self, action: ReviewAction) -> StepOutcome:
        return self._evaluate_fix(action, "apply")

    def _predict_severity(self, action: ReviewAction) -> StepOutcome:
        if self.severity_guess is not None:
            self.severity_guess = action.severity
            return self._waste("Severity was already predicted; only the first prediction counts.")
        self.severity_guess = action.severity
        truth = self.task.spec.max_severity
        if truth is None:
            return StepOutcome("Severity noted.")
        if not self.found:
            return StepOutcome("Severity noted; it earns nothing before a bug has been located (category, file, line).")
        self.severity_scored = True
        distance = abs(SEVERITIES.index(action.severity) - SEVERITIES.index(truth))
        self.ledger.raise_to("severity", R.SEVERITY_EXACT if distance == 0 else
                             R.SEVERITY_NEAR if distance == 1 else 0.0)
        return StepOutcome("Severity noted.")

    def _approve_code(self, action: ReviewAction) -> StepOutcome:
        self.verdict = "approve_code"
        if self.task.spec.no_bug:
            if not self.evidence:
                return StepOutcome("Approved without running the tests: a verdict needs evidence (no credit).")
            self.ledger.add("verdict", 1.0)
            return StepOutcome("Approved: the change was correct.")
        if self.solved_fix:
            return StepOutcome("Approved after a fix that resolves the problem.")
        self.ledger.add("verdict", R.APPROVE_BUGGY)
        return StepOutcome("Approved code that still has a problem (penalty).")

    def _request_changes(self, action: ReviewAction) -> StepOutcome:
        self.verdict = "request_changes"
        if self.task.spec.no_bug:
            self.ledger.add("verdict", R.REQUEST_CHANGES_CLEAN)
            return StepOutcome("Requested changes on a correct change (penalty).")
        return StepOutcome("Changes requested.")

    def _view_file(self, action: ReviewAction) -> StepOutcome:
        path = action.file or ""
        if path not in self.current:
            raise StepRejected("UNKNOWN_FILE", "view_file needs `file`, one of the repo's files")
        self.viewing = path
        return StepOutcome(f"Showing {path}.")

    def _run_tests(self, action: ReviewAction) -> StepOutcome:
        changes: dict[str, str] = {}
        if action.files or action.diff:
            changed, error = self._changes(action)
            if error is not None:
                return self._waste(f"The candidate could not be applied: {error.message}", error)
            changes = changed or {}
        candidate = {p: t for p, t in {**self.current, **changes}.items()
                     if p in self.task.source_files and t != self.task.repo[p]}
        verdict, result = self.evaluator.run_visible(self.task, candidate)
        self.evidence = self.evidence or result is not None
        view = visible_view(result, verdict.refusal, self.runner_name, self.isolation)
        self.test_status = status_label(view)
        passed = sum(1 for o in view.visible_tests.values() if o == "passed")
        return StepOutcome(f"Visible tests: {passed}/{len(view.visible_tests)} passed ({view.status}).",
                           execution=view)
