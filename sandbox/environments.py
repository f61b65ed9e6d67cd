"""Which environment (image or venv) an evaluation runs in, and preparing it ahead of time or lazily.

Every runner owns an `EnvironmentStore`. A requirement set the base satisfies maps to the base
environment; any other set maps to one derived environment per set (a Docker image or a cached
venv), found when it was built before, otherwise built once. Callers that can wait (the CLI,
`autocoderl sandbox build`) block; the server asks with `wait=False` and gets `EnvironmentPreparing`
(a typed, retryable error) while a background thread builds it, never a hung step.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sandbox.requirements import RequirementsError, RequirementSet, Target
from sandbox.types import SandboxError

log = logging.getLogger("autocoderl.sandbox.environments")
RETRY_FAILED_AFTER_S = 60.0
"""A failed build (e.g. the package index was unreachable) is tried again after this long."""


@dataclass(frozen=True)
class EnvironmentInfo:
    """The environment one evaluation ran in, as reported (never a host path)."""

    kind: str  # "image" (Docker), "venv" (local, derived) or "host" (local, the server's own environment)
    id: str  # image tag, or the venv's content key
    base: str  # the base image tag or host Python the environment extends
    requirements: tuple[str, ...] = ()
    packages: Mapping[str, str] = field(default_factory=dict)  # installed on top of the base: name -> version
    path: str | None = field(default=None, compare=False)  # local venv root (host-side only)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "base": self.base, "requirements": list(self.requirements),
                "packages": dict(sorted(self.packages.items()))}


class EnvironmentPreparing(SandboxError):
    """The task's environment is being built in the background: retry the step shortly."""

    code = "ENVIRONMENT_PREPARING"


Finder = Callable[[RequirementSet, str], "EnvironmentInfo | None"]
Builder = Callable[[RequirementSet, str, Callable[[str], None]], EnvironmentInfo]


class EnvironmentStore:
    """Maps requirement sets to environments; builds missing ones one at a time.

    Args:
        base_info: the environment of sets the base satisfies.
        base: the base set (canonical name -> version) requirements are checked against.
        target: the platform environments are built for.
        find: cheap lookup of an environment built before (None when missing).
        build: builds one (slow; may raise RequirementsError).
        runner: runner name for errors.
    """

    def __init__(self, *, base_info: EnvironmentInfo, base: Mapping[str, str], target: Target, find: Finder,
                 build: Builder, runner: str) -> None:
        self.base_info = base_info
        self.base = dict(base)
        self.target = target
        self._find = find
        self._build = build
        self.runner = runner
        self._ready: dict[str, EnvironmentInfo] = {}
        self._builds: dict[str, tuple[Future, RequirementSet]] = {}
        self._failed_at: dict[str, float] = {}
        self._keys: dict[RequirementSet, str | None] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="env-build")

    def key(self, reqs: RequirementSet) -> str | None:
        """The derived environment's key, or None when the base satisfies `reqs` (memoised: asked on every run)."""
        if reqs not in self._keys:
            unmet = bool(reqs) and bool(reqs.unmet(self.base, self.target))
            self._keys[reqs] = reqs.key(self.base, self.target, self.base_info.id) if unmet else None
        return self._keys[reqs]

    def failed(self, reqs: RequirementSet) -> bool:
        """True while the last build of `reqs` failed and is not yet due for another try (no I/O: for resets)."""
        key = self.key(reqs)
        with self._lock:
            build = self._builds.get(key) if key else None
        if build is None or not build[0].done() or build[0].exception() is None:
            return False
        return not self._stale(key)

    def status(self, reqs: RequirementSet) -> str:
        """ready | preparing | failed | missing (not built yet, or a failure old enough to be tried again)."""
        key = self.key(reqs)
        if key is None or key in self._ready:
            return "ready"
        with self._lock:
            build = self._builds.get(key)
        if build is not None:
            future = build[0]
            if not future.done():
                return "preparing"
            if future.exception() is None:
                return "ready"
            if self.failed(reqs):
                return "failed"
        return "ready" if self._lookup(reqs, key) else "missing"

    def _stale(self, key: str) -> bool:
        return time.monotonic() - self._failed_at.get(key, 0.0) > RETRY_FAILED_AFTER_S

    def get(self, reqs: RequirementSet, *, wait: bool = True,
            echo: Callable[[str], None] | None = None) -> EnvironmentInfo:
        """The environment for `reqs`, building it when missing.

        Raises:
            EnvironmentPreparing: `wait` is False and the build is still running (it was started).
            RequirementsError: the set cannot be resolved or installed.
        """
        key = self.key(reqs)
        if key is None:
            return self.base_info
        if (info := self._ready.get(key) or self._lookup(reqs, key)) is not None:
            return info
        future = self._start(reqs, key, echo or log.info)
        if not wait and not future.done():
            raise EnvironmentPreparing(
                f"the environment for {', '.join(reqs.requirements)} is being prepared; retry in a few seconds",
                runner=self.runner)
        info = future.result()
        self._ready[key] = info
        return info

    def _lookup(self, reqs: RequirementSet, key: str) -> EnvironmentInfo | None:
        try:
            info = self._find(reqs, key)
        except SandboxError:
            return None
        if info is not None:
            self._ready[key] = info
        return info

    def _start(self, reqs: RequirementSet, key: str, echo: Callable[[str], None]) -> Future:
        with self._lock:
            build = self._builds.get(key)
            if build is not None:
                future = build[0]
                if not (future.done() and future.exception() is not None and self._stale(key)):
                    return future
            future = self._pool.submit(self._run_build, reqs, key, echo)
            self._builds[key] = (future, reqs)
            return future

    def _run_build(self, reqs: RequirementSet, key: str, echo: Callable[[str], None]) -> EnvironmentInfo:
        try:
            return self._build(reqs, key, echo)
        except RequirementsError:
            self._failed_at[key] = time.monotonic()
            raise
        except SandboxError as exc:
            self._failed_at[key] = time.monotonic()
            raise RequirementsError(f"building the environment for {', '.join(reqs.requirements)} failed: {exc}",
                                    requirements=reqs.requirements, runner=self.runner) from exc

    def describe(self) -> list[dict[str, Any]]:
        """Derived environments this process knows about, with their state (for /health)."""
        with self._lock:
            builds = dict(self._builds)
        rows = []
        for key, (future, reqs) in sorted(builds.items()):
            if not future.done():
                rows.append({"key": key, "requirements": list(reqs.requirements), "status": "preparing"})
            elif future.exception() is not None:
                rows.append({"key": key, "requirements": list(reqs.requirements), "status": "failed",
                             "error": str(future.exception())})
            else:
                rows.append({"key": key, "status": "ready", **future.result().to_dict()})
        known = {row["key"] for row in rows}
        rows += [{"key": key, "status": "ready", **info.to_dict()}
                 for key, info in sorted(self._ready.items()) if key not in known]
        return rows

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
