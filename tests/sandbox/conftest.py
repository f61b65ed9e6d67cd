"""Fixtures for the sandbox tests: the runners under test and the bulk-discount task tree.

`runner` is parametrised over every runner this host can exercise: the local runner's bubblewrap
tier, its Landlock tier (use_bwrap=False), and Docker when a `docker_runner` fixture is defined.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sandbox.jail import bwrap_status
from sandbox.local import LocalRunner
from sandbox.types import Isolation
from tests.conftest import docker_runner_or_skip

TASK_DIR = Path(__file__).resolve().parents[2] / "task_repos" / "logic-bulk-discount"
LOCAL_RUNNERS = {"local-bwrap": {"use_bwrap": True}, "local-landlock": {"use_bwrap": False}}
NO_CGROUP_RUNNERS = {"local-bwrap-nocgroup": {"use_bwrap": True, "use_cgroup": False},
                     "local-landlock-nocgroup": {"use_bwrap": False, "use_cgroup": False}}
"""The Space-like tiers without a writable cgroup; run only with AUTOCODERL_TEST_NO_CGROUP=1 (they double the time)."""


@pytest.fixture
def task_tree() -> dict[str, bytes]:
    """The bulk-discount repo as the sandbox sees it (repo files plus hidden tests under tests/); a fresh dict."""
    files = {p.relative_to(TASK_DIR / "repo").as_posix(): p.read_bytes()
             for p in sorted((TASK_DIR / "repo").rglob("*")) if p.is_file()}
    for path in sorted((TASK_DIR / "hidden_tests").glob("*.py")):
        files[f"tests/{path.name}"] = path.read_bytes()
    return files


@pytest.fixture
def reference_fix() -> bytes:
    """The task's reference solution of shop/pricing.py."""
    return (TASK_DIR / "solution" / "shop" / "pricing.py").read_bytes()


def _has_fixture(metafunc: pytest.Metafunc, name: str) -> bool:
    manager = metafunc.config.pluginmanager.get_plugin("funcmanage")
    try:
        return bool(manager.getfixturedefs(name, metafunc.definition))
    except (AttributeError, TypeError):  # a pytest without this internal API: only the local runners
        return False


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "runner" in metafunc.fixturenames:
        kinds = [*LOCAL_RUNNERS, *(NO_CGROUP_RUNNERS if os.environ.get("AUTOCODERL_TEST_NO_CGROUP") == "1" else []),
                 *(["docker"] if _has_fixture(metafunc, "docker_runner") else [])]
        metafunc.parametrize("runner", kinds, indirect=True, scope="module")


@pytest.fixture(scope="module")
def runner(request: pytest.FixtureRequest):
    """A runner under test (see the module docstring)."""
    kind = request.param
    if kind == "docker":
        return request.getfixturevalue("docker_runner")
    if kind.startswith("local-bwrap") and not bwrap_status()[0]:
        reason = f"bubblewrap cannot run here: {bwrap_status()[1]}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI=true the bubblewrap tier must run", pytrace=False)
        pytest.skip(reason)
    local = LocalRunner(**{**LOCAL_RUNNERS, **NO_CGROUP_RUNNERS}[kind])
    if kind.startswith("local-landlock") and local.isolation is not Isolation.LANDLOCK:
        pytest.skip("Landlock is not available on this kernel")
    return local


# ---- Docker (the `docker` marker): skipped with a reason when unavailable, a failure under CI=true ----

@pytest.fixture(scope="module")
def docker_runner_factory():
    """`make(**kwargs)` -> a DockerRunner(**kwargs), closed at module end.

    Skips (fails under CI=true) without Docker.
    """
    made = []

    def make(**kwargs):
        runner = docker_runner_or_skip(**kwargs)
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.close()


@pytest.fixture(scope="module")
def docker_runner(docker_runner_factory):
    """A DockerRunner without a warm pool, so no idle sandbox process outlives a test (pooling: see the factory)."""
    return docker_runner_factory(pool_size=0)
