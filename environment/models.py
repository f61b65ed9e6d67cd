"""Wire types: the action an agent sends, the observation and state it gets back (OpenEnv models)."""

from __future__ import annotations

from typing import Any, Literal

import environment.openenv_compat  # noqa: F401 - before openenv: skips its Gradio UI

# isort: split
from openenv.core.env_server.types import Action, Observation, State
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from environment.errors import clip

ActionType = Literal["detect_bug", "suggest_fix", "apply_fix", "predict_severity", "approve_code",
                     "request_changes", "view_file", "run_tests"]
Category = Literal["syntax", "logic", "security", "performance", "style"]
Severity = Literal["low", "medium", "high", "critical"]
MAX_FILE_CHARS = 64 * 1024
FEEDBACK_CHARS = 600
MAX_FILES = 8
FIX_ACTIONS = ("suggest_fix", "apply_fix")


class ReviewAction(Action):
    """One review step. `action_type` decides which other fields are required:

    detect_bug: bug_category (+ optional file, line, cwe) · suggest_fix / apply_fix: files (path -> full new
    content) or diff (unified diff) (+ optional explanation) · predict_severity: severity ·
    view_file: file · run_tests: optional files/diff (default: the current repo) ·
    approve_code / request_changes: optional comment (ends the episode).
    """

    action_type: ActionType
    bug_category: Category | None = None
    file: str | None = Field(default=None, max_length=300)
    line: int | None = Field(default=None, ge=1, le=100_000)
    cwe: str | None = Field(default=None, pattern=r"^CWE-\d{1,5}$")
    files: dict[str, str] | None = None
    diff: str | None = Field(default=None, max_length=4 * MAX_FILE_CHARS)
    explanation: str | None = Field(default=None, max_length=4000)
    severity: Severity | None = None
    comment: str | None = Field(default=None, max_length=4000)

    @field_validator("files")
    @classmethod
    def _files_bounded(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        if value is None:
            return value
        if not value or len(value) > MAX_FILES:
            raise PydanticCustomError("files_count", "files must name between 1 and {n} files", {"n": MAX_FILES})
        for path, text in value.items():
            if len(path) > 300 or len(text) > MAX_FILE_CHARS:
                raise PydanticCustomError("file_too_large", "a file in 'files' exceeds {n} characters",
                                          {"n": MAX_FILE_CHARS})
        return value

    @model_validator(mode="after")
    def _required_fields(self) -> ReviewAction:
        # PydanticCustomError, not ValueError: the framework serialises `errors()` and a ValueError in
        # the error context is not JSON-serialisable (it would end the session with SESSION_ERROR).
        kind = self.action_type
        missing = None
        if kind == "detect_bug" and self.bug_category is None:
            missing = "bug_category"
        elif kind == "predict_severity" and self.severity is None:
            missing = "severity"
        elif kind == "view_file" and not self.file:
            missing = "file"
        elif kind in FIX_ACTIONS and not (self.files or self.diff):
            missing = "files' or 'diff"
        if missing:
            raise PydanticCustomError("missing_for_action", "field '{field}' is required for {action}",
                                      {"field": missing, "action": kind})
        if self.files and self.diff:
            raise PydanticCustomError("conflicting_fields", "give either 'files' or 'diff', not both")
        return self


class ErrorInfo(BaseModel):
    """A typed problem with the last action (the step still counted)."""

    model_config = ConfigDict(extra="forbid")
    code: str
    message: str
    field: str | None = None

    @field_validator("message")
    @classmethod
    def _short(cls, value: str) -> str:
        return clip(value)  # never more than an excerpt of what the agent sent (a path in a diff, ...)


class CheckView(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    score: float | None
    weight: float
    detail: str


class ExecutionReport(BaseModel):
    """What the last execution showed: visible tests by name, hidden tests as counts, tool findings."""

    model_config = ConfigDict(extra="forbid")
    kind: Literal["graded", "visible_tests"]
    status: str
    reason: str = ""
    runner: str
    isolation: str
    isolation_note: str = ""
    """Why the runner is not on its strongest isolation tier, when it is not."""
    duration_s: float
    visible_tests: dict[str, str] = Field(default_factory=dict)
    hidden_passed: int | None = None
    hidden_total: int | None = None
    bandit: list[dict[str, Any]] = Field(default_factory=list)
    ruff: list[dict[str, Any]] = Field(default_factory=list)
    coverage_percent: float | None = None
    ast_ok: bool | None = None
    refused: str | None = None
    syntax_errors: dict[str, str] = Field(default_factory=dict)
    suppressions_added: int = 0
    fix_score: float | None = None
    solved: bool | None = None
    checks: list[CheckView] = Field(default_factory=list)
    output_tail: str = ""
    environment: dict[str, Any] | None = None
    """The image or venv the run used: kind, id (tag/hash), base, requirements, versions installed on top."""
    python: str | None = None
    """The interpreter that ran the code (`sys.version`): the same build on every runner."""
    integrity: list[dict[str, str]] = Field(default_factory=list)
    """What the harness caught the code doing to fake test results (kind, target); any entry means no test credit."""
    timeouts: int = 0
    """Tests that exceeded their time budget (outcome `timeout`); the rest of the run went on."""


class ReviewObservation(Observation):
    """Everything a client needs, in declared fields (Observation.metadata is dropped by some versions)."""

    task_id: str = ""
    task_difficulty: str = ""
    title: str = ""
    pr_description: str = ""
    code_snippet: str = ""
    file_name: str = ""
    files: list[str] = Field(default_factory=list)
    bug_category: str | None = None
    bug_hint: str | None = None
    test_status: str = "not_run"
    step_number: int = 0
    max_steps: int = 0
    previous_action: str | None = None
    previous_action_feedback: str = ""
    severity: str | None = None
    multi_bug: bool = False
    bugs_found: int = 0
    bugs_total: int = 0
    execution: ExecutionReport | None = None
    reward_breakdown: dict[str, float] = Field(default_factory=dict)
    episode_reward: float = 0.0
    solved: bool = False
    done_reason: str | None = None
    error: ErrorInfo | None = None
    reward_mode: str = "shaped"
    runner: str = ""
    curriculum_tier: int | None = None
    variant_seed: int | None = None
    environment_status: Literal["ready", "preparing", "failed", "missing"] = "ready"
    """Whether the repo's declared requirements are installed in the sandbox yet (steps that run code answer
    ENVIRONMENT_PREPARING while it is `preparing`)."""

    @field_validator("previous_action_feedback")
    @classmethod
    def _short_feedback(cls, value: str) -> str:
        return clip(value, FEEDBACK_CHARS)  # feedback may quote an error about the agent's input


class ReviewState(State):
    """Episode bookkeeping (cheap: read on the event loop). Never holds answers."""

    task_id: str | None = None
    task_difficulty: str | None = None
    seed: int | None = None
    variant_seed: int | None = None
    done: bool = False
    episode_reward: float = 0.0
    solved: bool = False
    reward_mode: str = "shaped"
    runner: str = ""
    curriculum_tier: int | None = None
