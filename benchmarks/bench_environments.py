"""What task requirements cost: building a derived environment once, and each evaluation in it.

For each runner (local, docker): the cold build of a never-seen requirement set (a unique PyJWT
specifier, so resolution, download and install all happen; the base image/venv already exists),
the warm lookup of the same set, and median latencies of full evaluations (reference fix, hidden tests
included): the built-in logic-bulk-discount in the base environment and in the derived one (same work:
the difference is what the derived environment costs per evaluation), and the outside task
sec-jwt-session-verify (it imports PyJWT) in the derived one. Every result is checked.

    python benchmarks/bench_environments.py [--runs 7] [--runners local,docker]
"""

from __future__ import annotations

import argparse
import secrets
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from environment.corpus.baselines import repo_tree  # noqa: E402
from environment.corpus.tasks import load_task  # noqa: E402
from sandbox.requirements import RequirementSet  # noqa: E402
from sandbox.types import RunRequest, RunStatus  # noqa: E402

OUTSIDE = load_task(ROOT / "tests" / "fixtures" / "outside_tasks" / "sec-jwt-session-verify")
BUILTIN = load_task(ROOT / "task_repos" / "logic-bulk-discount")


def make(kind: str):
    if kind == "docker":
        from sandbox.docker_runner import DockerRunner

        return DockerRunner(pool_size=2)
    from sandbox.local import LocalRunner

    return LocalRunner()


def evaluate(runner, task, requirements: tuple[str, ...]) -> float:
    started = time.monotonic()
    result = runner.run(RunRequest(files=repo_tree(task, task.solution), source_files=task.source_files,
                                   requirements=requirements))
    elapsed = time.monotonic() - started
    outcomes = (result.report or {}).get("pytest", {}).get("result", {}).get("outcomes", {})
    if result.status is not RunStatus.COMPLETED or not outcomes or set(outcomes.values()) != {"passed"}:
        raise SystemExit(f"{runner.name}: {task.id} did not pass: {result.status} {result.reason} {outcomes}")
    return elapsed


def bench(kind: str, runs: int) -> dict[str, float | str]:
    runner = make(kind)
    try:
        fresh = RequirementSet.of([f"PyJWT>=2.8,<3,!=2.0.{secrets.randbelow(10**9)}"])
        started = time.monotonic()
        info = runner.environments.get(fresh)
        cold = time.monotonic() - started
        started = time.monotonic()
        runner.environments.get(RequirementSet.of(fresh.requirements))
        warm = time.monotonic() - started
        if hasattr(runner, "warm"):
            runner.warm()
        base, derived, outside = [], [], []
        for _ in range(runs):  # interleaved so machine drift hits all alike
            base.append(evaluate(runner, BUILTIN, ()))
            derived.append(evaluate(runner, BUILTIN, fresh.requirements))
            outside.append(evaluate(runner, OUTSIDE, fresh.requirements))
            if hasattr(runner, "warm"):
                runner.warm()
        return {"runner": kind, "environment": f"{info.kind} {info.id}", "cold_build_s": cold, "warm_lookup_s": warm,
                "base_s": statistics.median(base), "derived_s": statistics.median(derived),
                "outside_s": statistics.median(outside)}
    finally:
        _cleanup(runner, kind)


def _cleanup(runner, kind: str) -> None:
    """Drop the one-off environment again (the cache keeps the wheels)."""
    for row in runner.environments.describe():
        if kind == "docker" and row.get("id"):
            runner.api.remove_image(row["id"], force=True)
        elif row.get("key"):
            from sandbox.venvs import env_root

            shutil.rmtree(env_root() / row["key"], ignore_errors=True)
    runner.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--runners", default="local,docker")
    args = parser.parse_args()
    rows = [bench(kind, args.runs) for kind in args.runners.split(",")]
    print(f"{'runner':8} {'cold build':>11} {'warm lookup':>12} {'builtin@base':>13} {'builtin@derived':>16} "
          f"{'outside@derived':>16}  derived environment")
    for row in rows:
        print(f"{row['runner']:8} {row['cold_build_s']:10.1f}s {row['warm_lookup_s'] * 1000:10.1f}ms "
              f"{row['base_s']:12.2f}s {row['derived_s']:15.2f}s {row['outside_s']:15.2f}s  {row['environment']}")


if __name__ == "__main__":
    main()
