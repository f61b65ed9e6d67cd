"""Grading vocabulary: what a task expects (GradeSpec) and what a grade says (Check, GradeReport)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class AstChecks:
    """Static checks a task declares on the submitted source (host side, nothing executed)."""

    forbidden_calls: tuple[str, ...] = ()
    forbidden_imports: tuple[str, ...] = ()
    forbidden_kwargs: tuple[str, ...] = ()
    required_calls: tuple[str, ...] = ()
    preserve_signatures: bool = True


@dataclass(frozen=True)
class GradeSpec:
    """Everything the graders need to know about one task, taken from its validated baseline."""

    task_id: str
    original: Mapping[str, str]
    """Editable source files of the buggy repo: relative path -> text."""
    fail_to_pass: frozenset[str]
    pass_to_pass: frozenset[str]
    hidden_tests: frozenset[str]
    baseline_bandit: tuple[tuple[str, str, str], ...] = ()
    """(test_id, filename, severity) findings on the buggy repo or the reference fix (a multiset union): what
    the task's own code does is never a new finding."""
    baseline_ruff: tuple[tuple[str, str], ...] = ()
    """(code, filename) findings on the buggy repo or the reference fix (a multiset union)."""
    target_bandit: frozenset[str] = frozenset()
    target_ruff: frozenset[str] = frozenset()
    ast_checks: AstChecks = field(default_factory=AstChecks)
    allowed_imports: frozenset[str] = frozenset()
    """Top-level modules the task's own code uses; a fix may use these and the safe list."""
    allowed_violations: frozenset[tuple[str, str]] = frozenset()
    """Integrity findings (kind, target) the buggy repo or the reference fix shows too: the task's own doing."""


@dataclass(frozen=True)
class Check:
    """One named grading component. `score` is None when the check does not apply to this task."""

    name: str
    score: float | None
    weight: float
    detail: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GradeReport:
    """The verdict on one fix: named checks, the weighted fix score and whether it solves the task."""

    checks: tuple[Check, ...]
    fix_score: float
    solved: bool
    refused: str | None = None
    unscorable: str | None = None

    def by_name(self) -> dict[str, Check]:
        return {c.name: c for c in self.checks}

    def to_dict(self) -> dict[str, Any]:
        return {
            "fix_score": round(self.fix_score, 4),
            "solved": self.solved,
            "refused": self.refused,
            "unscorable": self.unscorable,
            "checks": [{"name": c.name, "score": None if c.score is None else round(c.score, 4),
                        "weight": c.weight, "detail": c.detail, **({"data": dict(c.data)} if c.data else {})}
                       for c in self.checks],
        }
