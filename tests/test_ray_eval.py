"""Ray fan-out (environment/ray_eval.py) on a local Ray head started here: the oracle's results over
Ray equal run_local's; a sandbox failure is retried; a hung episode is cancelled at the deadline.
Skipped only where ray is not installed and CI is not "true" (CI installs the [ray] extra)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from environment.env import EnvError
from environment.ray_eval import comparable, run_local, run_ray
from tests.environment.policies import oracle

try:
    import ray
except ImportError:
    ray = None

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(ray is None and os.environ.get("CI") != "true", reason="ray is not installed")]

EPISODES = [("logic-bulk-discount", 0, oracle), ("sec-orders-sql-injection", 1, oracle)]


class FlakySandbox:
    """Reports an unscorable step (our sandbox failing) on the first `failures` attempts, then plays the oracle."""

    def __init__(self, marks: Path, failures: int) -> None:
        self.marks, self.failures = marks, failures

    def __call__(self, env, task) -> float:
        attempt = len(list(self.marks.iterdir()))
        (self.marks / f"attempt-{attempt}-{os.getpid()}").touch()
        if attempt < self.failures:
            raise EnvError("UNSCORABLE", "the sandbox failed (simulated)")
        return oracle(env, task)


def hang(env, task) -> float:
    time.sleep(600)
    return 0.0


@pytest.fixture(scope="module")
def ray_head(tmp_path_factory: pytest.TempPathFactory):
    assert ray is not None, "CI must install the [ray] extra"
    home = tmp_path_factory.mktemp("ray-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))  # ray writes ~/.ray; keep it writable and throwaway
        mp.setenv("RAY_AUTH_MODE", "disabled")  # loopback-only head
        mp.setenv("RAY_USAGE_STATS_ENABLED", "0")
        ray.init(resources={"sandbox": 2}, include_dashboard=False, num_cpus=2, log_to_driver=False)
        try:
            yield ray
        finally:
            ray.shutdown()


def test_ray_results_equal_local_results(ray_head) -> None:
    local = run_local(EPISODES)
    remote = run_ray(EPISODES, deadline_s=600)
    assert [r["task_id"] for r in remote] == [t for t, _, _ in EPISODES]
    assert all(r["status"] == "ok" and r["solved"] and r["reward"] >= 0.95 for r in local), [
        (r["task_id"], r["status"], r["solved"], r["reward"], r.get("error")) for r in local]
    assert comparable(remote) == comparable(local)
    assert all(r["meta"]["node"] == ray.get_runtime_context().get_node_id() for r in remote)
    assert {r["meta"]["pid"] for r in remote}.isdisjoint({os.getpid()})  # really ran in Ray workers


def test_sandbox_failure_is_retried(ray_head, tmp_path: Path) -> None:
    for runner_fn, marks in ((run_local, tmp_path / "local"), (run_ray, tmp_path / "ray")):
        marks.mkdir()
        [result] = runner_fn([("sec-orders-sql-injection", 0, FlakySandbox(marks, failures=2))])
        assert result["status"] == "ok" and result["solved"], result
        assert len(list(marks.iterdir())) == 3
    marks = tmp_path / "exhausted"
    marks.mkdir()
    [result] = run_ray([("sec-orders-sql-injection", 0, FlakySandbox(marks, failures=9))], max_retries=1)
    assert result["status"] == "env_error" and result["error"]["code"] == "UNSCORABLE" and result["reward"] is None
    assert len(list(marks.iterdir())) == 2


def test_hung_episode_is_cancelled_at_the_deadline(ray_head) -> None:
    started = time.monotonic()
    [hung] = run_ray([("sec-orders-sql-injection", 0, hang)], deadline_s=3)
    assert hung["status"] == "timeout" and hung["error"]["code"] == "DEADLINE_EXCEEDED"
    assert time.monotonic() - started < 60


def test_string_agents_resolve_where_the_episode_runs() -> None:
    by_path, by_name = run_local([("sec-orders-sql-injection", 2, "tests.environment.policies:oracle"),
                                  ("sec-orders-sql-injection", 2, "noop")])
    assert by_path["agent"] == "tests.environment.policies:oracle" and by_path["solved"]
    assert by_path["actions"][-1] == {"action_type": "request_changes"}
    assert by_name["status"] == "ok" and by_name["steps"] == 1 and not by_name["solved"]
