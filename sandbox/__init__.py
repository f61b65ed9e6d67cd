"""Sandbox runners: run a candidate repo's tests, bandit and ruff in isolation; one typed result."""

from __future__ import annotations

import os

from sandbox.types import Isolation, Limits, Runner, RunRequest, RunResult, RunStatus, SandboxError

__all__ = ["Isolation", "Limits", "RunRequest", "RunResult", "RunStatus", "Runner", "SandboxError", "make_runner"]


def make_runner(kind: str | None = None) -> Runner:
    """Build the runner named by `kind` or AUTOCODERL_RUNNER (auto|docker|local).

    auto picks docker when an engine answers and the sandbox image exists, else local.

    Raises:
        SandboxError: docker was asked for explicitly but is unusable.
    """
    kind = (kind or os.environ.get("AUTOCODERL_RUNNER", "auto")).lower()
    if kind not in ("auto", "docker", "local"):
        raise SandboxError(f"unknown runner {kind!r}; expected auto, docker or local")
    if kind in ("auto", "docker"):
        try:
            from sandbox.docker_runner import DockerRunner
        except ImportError as exc:
            if kind == "docker":
                raise SandboxError(f"docker runner unavailable: {exc}", runner="docker") from exc
        else:
            try:
                return DockerRunner()
            except SandboxError:
                if kind == "docker":
                    raise
    from sandbox.local import LocalRunner

    return LocalRunner()
