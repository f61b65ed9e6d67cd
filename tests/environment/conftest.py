"""In-process environment fixtures: one Backend with the real local runner, shared by the module."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from environment.config import load_settings
from environment.corpus.tasks import load_tasks
from environment.env import AutoCodeEnv, Backend
from sandbox.local import LocalRunner


@pytest.fixture(scope="session")
def backend() -> Backend:
    settings = load_settings({"AUTOCODERL_RUNNER": "local", "AUTOCODERL_MAX_PARALLEL_RUNS": "2"})
    return Backend(settings=settings, tasks=load_tasks(), runner=LocalRunner())


@pytest.fixture
def make_env(backend: Backend) -> Callable[[], AutoCodeEnv]:
    envs: list[AutoCodeEnv] = []

    def factory() -> AutoCodeEnv:
        envs.append(AutoCodeEnv(backend))
        return envs[-1]

    yield factory
    for env in envs:
        env.close()
