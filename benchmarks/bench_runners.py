"""Side-by-side cost of one full evaluation (pytest+coverage, bandit, ruff) per runner.

Rows: the bare host subprocess running the same harness driver with no isolation (the floor),
the three tools run by hand on a fresh copy of the repo (benchmarks/by_hand.py: `coverage run -m pytest`,
`bandit -r -f json`, `ruff check`, one after the other, with the sandbox's interpreter and tool
versions), LocalRunner, DockerRunner. Latency is measured round-robin (one evaluation of each runner in turn)
so machine drift hits every row alike; the Docker pool is refilled between its runs, off the clock,
as on a server between requests. Throughput runs a fixed batch on 1, 2 and 4 threads per runner.
Every result is checked (completed, exactly the 3 hidden failures of logic-bulk-discount).
Then the ratios of issue 14: evals/s of each runner with 2 workers / by hand with 2 workers, and the
median latency of LocalRunner / by hand.

    python benchmarks/bench_runners.py [--runs 15] [--jobs 16] [--runners host,hand,local,docker]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.by_hand import ByHand, outcome_counts  # noqa: E402
from sandbox.outcome import classify, extract_report  # noqa: E402
from sandbox.tarball import build_tar  # noqa: E402
from sandbox.types import Isolation, RunRequest, RunResult  # noqa: E402

TASK = ROOT / "task_repos" / "logic-bulk-discount"
EXPECTED_FAILS = 3


class HostSubprocess:
    """The floor: the harness driver as a plain host subprocess (no jail, no limits, no cleanup beyond the temp dir)."""

    name = "host-subprocess"
    isolation = Isolation.RLIMITS
    image = None
    driver = ROOT / "sandbox" / "harness" / "driver.py"

    def run(self, request: RunRequest) -> RunResult:
        started = time.monotonic()
        nonce = secrets.token_hex(16)
        config = {"nonce": nonce, "source_files": list(request.source_files), "test_paths": list(request.test_paths),
                  "run_tools": request.run_tools, "deadline_s": request.limits.wall_s - 1,
                  "output_bytes": request.limits.output_bytes}
        workdir = tempfile.mkdtemp(prefix="bench-floor-")
        try:
            proc = subprocess.run([sys.executable, "-P", "-s", "-B", str(self.driver)], cwd=workdir,
                                  input=json.dumps(config).encode() + b"\n" + build_tar(request.files),
                                  capture_output=True, timeout=request.limits.wall_s)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        report = extract_report(proc.stdout.decode(errors="replace"), nonce)
        status, reason = classify(report, host_timeout=False, host_overflow=False, oom=False,
                                  exit_code=proc.returncode)
        return RunResult(status=status, runner=self.name, isolation=self.isolation,
                         duration_s=time.monotonic() - started, report=report, exit_code=proc.returncode, reason=reason)

    def close(self) -> None:
        pass


def task_request() -> RunRequest:
    files = {p.relative_to(TASK / "repo").as_posix(): p.read_bytes()
             for p in sorted((TASK / "repo").rglob("*")) if p.is_file()}
    for path in sorted((TASK / "hidden_tests").glob("*.py")):
        files[f"tests/{path.name}"] = path.read_bytes()
    return RunRequest(files=files, source_files=("shop/__init__.py", "shop/pricing.py"), label="bench")


def check(result: RunResult) -> bool:
    """A correct evaluation: completed, with exactly the task's 3 hidden failures."""
    ok = outcome_counts(result) == (EXPECTED_FAILS, 9)
    if not ok:
        print(f"!! {result.runner}: {result.status.value} {result.reason} (exit {result.exit_code})", file=sys.stderr)
    return ok


def settle(runner) -> None:
    """Let a pooled runner refill before the clock starts (the refill is off the critical path)."""
    if hasattr(runner, "warm"):
        runner.warm(30)


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def latency(runners: dict, request: RunRequest, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in runners}
    bad: dict[str, int] = dict.fromkeys(runners, 0)
    for runner in runners.values():  # one unmeasured warm-up each (page cache, first container)
        runner.run(request)
        settle(runner)
    for _ in range(runs):
        for name, runner in runners.items():
            started = time.perf_counter()
            result = runner.run(request)
            times[name].append(time.perf_counter() - started)
            bad[name] += not check(result)
            settle(runner)
    for name, count in bad.items():
        if count:
            print(f"!! {name}: {count} incorrect results", file=sys.stderr)
    return times


def throughput(runner, request: RunRequest, workers: int, jobs: int) -> tuple[float, float, int]:
    settle(runner)
    durations: list[float] = []

    def one(_: int) -> bool:
        started = time.perf_counter()
        ok = check(runner.run(request))
        durations.append(time.perf_counter() - started)
        return ok

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        oks = list(pool.map(one, range(jobs)))
    elapsed = time.perf_counter() - started
    return jobs / elapsed, statistics.median(durations), oks.count(False)


def leftover_containers() -> int | None:
    try:
        import docker

        from sandbox.docker_runner import LABEL, OWNER_LABEL
        client = docker.from_env(version="auto")
        owner = f"{socket.gethostname()}:{os.getpid()}"
        return len(client.containers.list(all=True, filters={"label": [LABEL, f"{OWNER_LABEL}={owner}"]}))
    except Exception:  # noqa: BLE001 - no engine: nothing can be left
        return None


def make_runners(kinds: list[str], pool: int | None, cpus: float | None) -> tuple[dict, dict[str, str]]:
    """(row name -> runner, kind -> row name)."""
    runners: dict = {}
    names: dict[str, str] = {}
    for kind in kinds:
        if kind == "host":
            name, runner = "host subprocess (floor)", HostSubprocess()
        elif kind == "hand":
            runner = ByHand()
            name = runner.name
        elif kind == "local":
            from sandbox.local import LocalRunner
            runner = LocalRunner()
            name = f"LocalRunner ({runner.isolation.value})"
        elif kind == "docker":
            from sandbox.docker_runner import DockerRunner
            runner = DockerRunner(pool_size=pool, cpus=cpus)
            name = f"DockerRunner (pool {runner.pool_size}, {runner.cpus:g} cpu)"
        else:
            raise SystemExit(f"unknown runner {kind!r}: expected host, hand, local or docker")
        runners[name], names[kind] = runner, name
    return runners, names


def print_ratios(names: dict[str, str], times: dict[str, list[float]], rates: dict[str, float]) -> None:
    """Issue 14's runner figures: each a ratio to the tools run by hand, from this run."""
    hand = names.get("hand")
    if hand is None:
        print("\n(no by-hand row: add 'hand' to --runners for the issue-14 ratios)")
        return
    print(f"\n{'issue 14 ratios (this run)':<58} {'value':>7} {'goal':>7}")
    for kind, goal in (("local", ">= 3"), ("docker", ">= 2")):
        if kind in names and names[kind] in rates and hand in rates:
            print(f"{'evals/s, 2 workers: ' + names[kind] + ' / by hand':<58} "
                  f"{rates[names[kind]] / rates[hand]:>6.2f}x {goal:>7}")
    if "local" in names:
        local, by_hand = times[names["local"]], times[hand]
        paired = statistics.median(v / h for v, h in zip(local, by_hand, strict=True))
        print(f"{'median latency: ' + names['local'] + ' / by hand':<58} "
              f"{statistics.median(local) / statistics.median(by_hand):>6.2f}x {'<= 0.5':>7}")
        print(f"{'  (paired: median of per-round ratios)':<58} {paired:>6.2f}x")
    if hand not in rates:
        print("(evals/s ratios need 2 in --workers)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="measured evaluations per runner for latency")
    parser.add_argument("--jobs", type=int, default=16, help="evaluations per throughput row")
    parser.add_argument("--runners", default="host,hand,local,docker",
                        help="rows, comma-separated: host (floor), hand (tools by hand), local, docker")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--pool", type=int, default=None, help="DockerRunner pool size (default: its own)")
    parser.add_argument("--cpus", type=float, default=None, help="DockerRunner CPU cap (default: its own)")
    args = parser.parse_args()
    request = task_request()
    runners, names = make_runners(args.runners.split(","), args.pool, args.cpus)
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.2f} at start; task logic-bulk-discount (9 tests), "
          f"{args.runs} runs per latency row, {args.jobs} jobs per throughput row\n")
    try:
        times = latency(runners, request, args.runs)
        floor_name = next(iter(times))
        floor = times[floor_name]
        print(f"{'latency of one evaluation':<34} {'median ms':>9} {'p10':>6} {'p90':>6} {'min':>6} "
              f"{'median/floor':>12} {'paired':>7}")
        for name, values in times.items():
            median = statistics.median(values)
            # paired: the median of per-round ratios; each round runs every runner back to back, so slow
            # drift of a shared machine's load cancels out better than in the ratio of medians
            paired = statistics.median(v / f for v, f in zip(values, floor, strict=True))
            print(f"{name:<34} {median * 1000:>9.0f} {pct(values, .1) * 1000:>6.0f} {pct(values, .9) * 1000:>6.0f} "
                  f"{min(values) * 1000:>6.0f} {median / statistics.median(floor):>12.2f} {paired:>7.2f}")
        workers = [int(w) for w in args.workers.split(",")]
        cells: dict[str, list[str]] = {name: [] for name in runners}
        rates: dict[str, float] = {}
        for w in workers:  # the runners' batches for one worker count run back to back
            for name, runner in runners.items():
                rate, median, bad = throughput(runner, request, w, args.jobs)
                cells[name].append(f"{rate:6.2f} ({median * 1000:5.0f}){'!' * bool(bad):1}")
                if w == 2:
                    rates[name] = rate
        print(f"\n{'evaluations/s (median latency ms)':<34} " + " ".join(f"{f'{w} worker(s)':>18}" for w in workers))
        for name, row in cells.items():
            print(f"{name:<34} " + " ".join(f"{c:>18}" for c in row))
        print_ratios(names, times, rates)
    finally:
        for runner in runners.values():
            runner.close()
    left = leftover_containers()
    print(f"\nleftover sandbox containers after close: {left if left is not None else 'n/a (no engine)'}")
    print(f"load average at end: {os.getloadavg()[0]:.2f}")
    return 0 if not left else 1


if __name__ == "__main__":
    sys.exit(main())
