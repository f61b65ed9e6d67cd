"""Types shared by every runner: what goes into a sandbox run and what comes out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from sandbox.budgets import DEFAULT_TEST_S, WALL_FACTOR

if TYPE_CHECKING:
    from sandbox.environments import EnvironmentStore


class RunStatus(StrEnum):
    """How a sandbox run ended. Only COMPLETED carries a report worth grading."""

    COMPLETED = "completed"
    TIMEOUT = "timeout"
    OOM = "oom"
    OUTPUT_LIMIT = "output_limit"
    DISK_FULL = "disk_full"
    CRASHED = "crashed"
    NO_REPORT = "no_report"


class Isolation(StrEnum):
    """The isolation level a runner really used (reported, never assumed)."""

    DOCKER = "docker"
    BWRAP = "bwrap"
    LANDLOCK = "landlock"
    RLIMITS = "rlimits"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one evaluation."""

    wall_s: float = 30.0
    cpu_s: int = 30
    memory_mb: int = 768
    pids: int = 128
    file_mb: int = 16
    disk_mb: int = 64
    nofile: int = 256
    output_bytes: int = 1 << 20


@dataclass(frozen=True)
class RunRequest:
    """One evaluation: a full repo tree (relative path -> bytes) and what to run on it."""

    files: Mapping[str, bytes]
    source_files: tuple[str, ...]
    test_paths: tuple[str, ...] = ("tests",)
    limits: Limits = field(default_factory=Limits)
    run_tools: bool = True
    label: str = "eval"
    requirements: tuple[str, ...] = ()
    """The task's PEP 508 requirements: the run happens in the environment that provides them (built
    first when missing; call `runner.environments.get(..., wait=False)` beforehand to avoid waiting)."""
    test_budgets: Mapping[str, float] = field(default_factory=dict)
    """Seconds each test id may take (sandbox/budgets.py); others get `default_test_budget`."""
    default_test_budget: float = DEFAULT_TEST_S
    tracebacks: bool = True
    """Format failing tests' tracebacks (only the agent's own `run_tests` output shows them)."""

    def harness_config(self, nonce: str, deadline_s: float) -> dict[str, Any]:
        """The driver's config line (sandbox/harness/driver.py); the same for every runner."""
        return {"nonce": nonce, "source_files": list(self.source_files), "test_paths": list(self.test_paths),
                "run_tools": self.run_tools, "deadline_s": round(max(1.0, deadline_s), 3),
                "output_bytes": self.limits.output_bytes, "budgets": dict(self.test_budgets),
                "default_budget": self.default_test_budget, "wall_factor": WALL_FACTOR, "tracebacks": self.tracebacks}


@dataclass(frozen=True)
class RunResult:
    """What a runner observed. `report` is the harness JSON, present only when it was trustworthy to parse."""

    status: RunStatus
    runner: str
    isolation: Isolation
    duration_s: float
    report: Mapping[str, Any] | None = None
    exit_code: int | None = None
    reason: str = ""
    output_tail: str = ""
    image: str | None = None
    environment: Mapping[str, Any] | None = None
    """The image or venv the run used: kind, id, base, requirements and the versions installed on top."""
    isolation_note: str = ""
    """Why the runner is not on its strongest tier (e.g. bubblewrap cannot create namespaces here)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "runner": self.runner,
            "isolation": self.isolation.value,
            "duration_s": round(self.duration_s, 3),
            "exit_code": self.exit_code,
            "reason": self.reason,
            "output_tail": self.output_tail,
            "image": self.image,
            "environment": self.environment,
            "isolation_note": self.isolation_note,
            "report": self.report,
        }


class SandboxError(Exception):
    """Our machinery failed (engine down, image missing): the run is unscorable, never a 0."""

    def __init__(self, message: str, *, runner: str = "") -> None:
        super().__init__(message)
        self.runner = runner


class Runner(Protocol):
    """A sandbox backend. `run` never raises for anything the evaluated code does."""

    name: str
    isolation: Isolation
    image: str | None
    environments: EnvironmentStore

    def run(self, request: RunRequest) -> RunResult: ...

    def python(self) -> str | None:
        """The `sys.version` of the interpreter code under test runs on (None: unknown)."""
        ...

    def close(self) -> None: ...
