"""What a single-use sandbox container costs before any test runs: the floor under the Docker runner's evals/s.

Machine CPU (all processes: dockerd, containerd, the shims, runc, the container) per item, measured one at a time
on a quiet machine, from /proc/stat:

  bare        `docker run --rm` of /bin/true in the sandbox image (create, start, wait, remove), no hardening;
  hardened    a pooled container as the Docker runner makes it (`DockerRunner._create`: hardening, attach,
              start, the driver importing pytest, coverage and bandit while it waits), then removed (its wall
              time includes 2 s of waiting for the imports);
  evaluation  one whole evaluation of logic-bulk-discount's reference fix through DockerRunner (pool 0: the
              container's making is on the clock);
  local       the same evaluation through LocalRunner (the warm harness forks it);
  by hand     the three tools as plain processes on a fresh copy (benchmarks/by_hand.py's command).

    python benchmarks/bench_container_floor.py [--runs 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_server import machine_busy  # noqa: E402
from by_hand import ByHand  # noqa: E402

from environment.corpus.baselines import repo_tree  # noqa: E402
from environment.corpus.tasks import load_tasks  # noqa: E402
from environment.evaluator import Evaluator  # noqa: E402
from sandbox.docker_runner import DockerRunner  # noqa: E402
from sandbox.local import LocalRunner  # noqa: E402
from sandbox.types import RunRequest  # noqa: E402

TICK = 100.0  # USER_HZ: /proc/stat counts in 1/100 s


def measure(name: str, runs: int, item: Callable[[], object]) -> tuple[float, float]:
    """(machine CPU seconds, wall seconds) per item, median over `runs` after one warm-up."""
    item()
    cpu, wall = [], []
    for _ in range(runs):
        busy0, _ = machine_busy()
        t0 = time.perf_counter()
        item()
        wall.append(time.perf_counter() - t0)
        time.sleep(0.3)  # what the item left running (removal, the pool's refill) is counted with it
        busy1, _ = machine_busy()
        cpu.append((busy1 - busy0) / TICK)
    result = statistics.median(cpu), statistics.median(wall)
    print(f"{name:<12} {result[0]:7.3f} s CPU   {result[1] * 1000:7.1f} ms wall", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    task = load_tasks([ROOT / "task_repos"]).tasks["logic-bulk-discount"]
    fix = dict(task.solution)

    docker_runner = DockerRunner(pool_size=0)
    try:
        client = docker_runner.client
        measure("bare", args.runs, lambda: client.containers.run(docker_runner.image, ["/bin/true"], remove=True,
                                                                  network_disabled=True))

        def hardened() -> None:
            box = docker_runner._create(docker_runner.limits)
            time.sleep(2.0)  # the driver imports the tools, then blocks on stdin (its CPU is counted meanwhile)
            box.sock.close()
            client.api.remove_container(box.cid, force=True)

        measure("hardened", args.runs, hardened)
        evaluator = Evaluator(docker_runner)
        measure("evaluation", args.runs, lambda: evaluator.evaluate(task, fix))
    finally:
        docker_runner.close()

    local = LocalRunner()
    try:
        evaluator = Evaluator(local)
        measure("local", args.runs, lambda: evaluator.evaluate(task, fix))
    finally:
        local.close()

    by_hand = ByHand()
    request = RunRequest(files=repo_tree(task, fix), source_files=task.source_files, run_tools=True)
    measure("by hand", args.runs, lambda: by_hand.run(request))
    return 0


if __name__ == "__main__":
    sys.exit(main())
