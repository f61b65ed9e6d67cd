"""Ray fan-out (environment/trainers/ray_eval.py) on a local Ray head started here: the oracle's results over
Ray equal run_local's; a sandbox failure is retried; a hung episode is cancelled at the deadline;
`autocoderl eval --url ray:` writes the records an in-process eval writes.
Skipped only where ray is not installed and CI is not "true" (CI installs the [ray] extra)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from environment.env import EnvError
from environment.trainers.ray_eval import comparable, run_local, run_ray
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


def without_timing(value):
    """A record with its timing fields (finished, duration_s, and pytest's output tail, which ends with its run time,
    at any depth) dropped."""
    if isinstance(value, dict):
        return {k: without_timing(v) for k, v in value.items() if k not in ("finished", "duration_s", "output_tail")}
    if isinstance(value, list):
        return [without_timing(v) for v in value]
    return value


def test_autocoderl_eval_over_ray_writes_the_in_process_records(ray_head, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """`autocoderl eval --url ray:` plays each episode as a Ray task; the records equal an in-process run's."""
    from environment.cli import main as cli_main

    ids = "logic-bulk-discount,sec-orders-sql-injection,clean-loyalty-tiers"
    common = ["eval", "--agent", "reader", "--task-ids", ids, "--seeds", "0,1", "--runner", "local", "--no-progress"]
    assert cli_main([*common, "--out", str(tmp_path / "local")]) == 0
    assert cli_main([*common, "--out", str(tmp_path / "ray"), "--url", "ray:"]) == 0
    assert "by category" in capsys.readouterr().out

    def records(name: str) -> dict:
        lines = (tmp_path / name / "results.jsonl").read_text().splitlines()
        return {(r["task_id"], r["seed"]): without_timing(r) for r in map(json.loads, lines)}

    local, remote = records("local"), records("ray")
    assert len(remote) == 6 and remote == local
    assert all(r["solved"] and r["status"] == "ok" for r in remote.values())
    meta = json.loads((tmp_path / "ray" / "metadata.json").read_text())
    assert meta["runner"]["mode"] == "ray" and meta["runner"]["sandbox_slots"] == 2
    assert sum(meta["runner"]["episodes_per_node"].values()) == 6
    assert set(meta["runner"]["episodes_per_node"]) == {ray.get_runtime_context().get_node_id()}
    assert meta["summary"] == json.loads((tmp_path / "local" / "metadata.json").read_text())["summary"]
