"""Settings, read once from the environment (AUTOCODERL_* and the usual PORT/WORKERS)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


@dataclass(frozen=True)
class Settings:
    port: int = 8000
    host: str = "0.0.0.0"
    workers: int = 1
    max_concurrent_envs: int = 256
    runner: str = "auto"
    step_timeout_s: float = 90.0
    max_parallel_runs: int = 2
    session_timeout_s: float = 3600.0
    max_message_bytes: int = 1 << 20
    tasks_dirs: tuple[str, ...] = ()
    artifacts_dir: str | None = None
    reward_mode: str = "shaped"
    log_level: str = "info"
    """debug | info (access log) | warning | error (AUTOCODERL_LOG_LEVEL, `serve --log-level`)."""
    prepare_environments: str = "background"
    """Task environments (derived images/venvs): background = start building every missing one at start-up,
    lazy = build on a task's first use; meanwhile its steps answer ENVIRONMENT_PREPARING. wait = steps block."""
    fix_policy: str = "full"
    """full = the static fix policy refuses machinery before anything runs (graders/fix_policy.py); runtime-only =
    only paths and sizes are refused, so hostile code reaches the sandbox (for testing the sandbox and the run-time
    checks; AUTOCODERL_FIX_POLICY, an operator's setting, never an agent's)."""


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from `environ` (default os.environ).

    Raises:
        ValueError: a variable does not parse (names the variable).
    """
    env = os.environ if environ is None else environ

    def num(name: str, default: float, cast: type = int) -> float:
        raw = env.get(name)
        if raw in (None, ""):
            return default
        try:
            return cast(raw)
        except ValueError as exc:
            raise ValueError(f"{name}={raw!r} is not a valid {cast.__name__}") from exc

    mode = env.get("AUTOCODERL_REWARD_MODE", "shaped")
    if mode not in ("shaped", "binary"):
        raise ValueError(f"AUTOCODERL_REWARD_MODE={mode!r}: expected shaped or binary")
    prepare = env.get("AUTOCODERL_PREPARE_ENVIRONMENTS", "background")
    if prepare not in ("background", "lazy", "wait"):
        raise ValueError(f"AUTOCODERL_PREPARE_ENVIRONMENTS={prepare!r}: expected background, lazy or wait")
    fix_policy = env.get("AUTOCODERL_FIX_POLICY", "full")
    if fix_policy not in ("full", "runtime-only"):
        raise ValueError(f"AUTOCODERL_FIX_POLICY={fix_policy!r}: expected full or runtime-only")
    log_level = env.get("AUTOCODERL_LOG_LEVEL", "info").lower()
    if log_level not in LOG_LEVELS:
        raise ValueError(f"AUTOCODERL_LOG_LEVEL={log_level!r}: expected {', '.join(LOG_LEVELS)}")
    return Settings(
        port=int(num("PORT", 8000)),
        host=env.get("HOST", "0.0.0.0"),
        workers=int(num("WORKERS", 1)),
        max_concurrent_envs=int(num("MAX_CONCURRENT_ENVS", 256)),
        runner=env.get("AUTOCODERL_RUNNER", "auto"),
        step_timeout_s=float(num("AUTOCODERL_STEP_TIMEOUT", 90.0, float)),
        max_parallel_runs=int(num("AUTOCODERL_MAX_PARALLEL_RUNS", os.cpu_count() or 2)),
        session_timeout_s=float(num("AUTOCODERL_SESSION_TIMEOUT", 3600.0, float)),
        max_message_bytes=int(num("AUTOCODERL_MAX_MESSAGE_BYTES", 1 << 20)),
        tasks_dirs=tuple(p for p in env.get("AUTOCODERL_TASKS_DIR", "").split(":") if p),
        artifacts_dir=env.get("AUTOCODERL_ARTIFACTS_DIR") or None,
        reward_mode=mode,
        log_level=log_level,
        prepare_environments=prepare,
        fix_policy=fix_policy,
    )
