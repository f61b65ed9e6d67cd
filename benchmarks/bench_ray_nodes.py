"""Does `autocoderl eval` over Ray scale with nodes? One node against all of them, same corpus, same results.

Default (this machine): starts a Ray head and a second node here (`ray.cluster_utils.Cluster`: two raylets on
127.0.0.1, each with `--num-cpus` CPUs and `--slots` "sandbox" slots, and each pinned to its own CPU core, so
"one CPU each" holds for real: one sandbox run alone would otherwise spread over every core, since pytest,
bandit and ruff run side by side; `--no-pin` turns that off), runs the eval of `--agent` (default oracle) over
the corpus with only the head, adds the second node, runs it again, and stops both nodes. With
`--address` it uses an existing cluster instead (this machine must be able to join it as a driver: "auto" on
a cluster node, or "ray://HEAD:10001" through Ray Client) and gets the one-node figure by pinning every
episode to one node (`EvalConfig.ray_node`).

Each run is the code behind `autocoderl eval --url ray:<address>` (run_eval: one Ray task per episode, records
streamed to results.jsonl). Before each measured run a short warm-up eval (`--warmup` sandbox-running episodes
per node, into a throwaway folder) starts the nodes' workers, so both runs measure warm workers. Prints the wall
time of each run (run_eval, the cluster already joined), episodes per second, the throughput ratio and its
share of linear scaling (goal >= 0.9), where each node ran its episodes, and whether the two results.jsonl files
are identical once timing fields (finished, duration_s, and pytest's "in 0.07s" in output tails) are dropped.

    python benchmarks/bench_ray_nodes.py [--agent oracle] [--task-name medium] [--limit N] [--out runs/bench-ray]
    python benchmarks/bench_ray_nodes.py --address auto          # an existing cluster this machine belongs to
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from environment.evaluation.run import EvalConfig, print_outcome, run_eval  # noqa: E402

TIMING = ("finished", "duration_s")
PYTEST_TIME = re.compile(r" in \d+(?:\.\d+)?s\b")
"""pytest's own run time at the end of its summary line ("5 passed in 0.07s"), inside `output_tail`."""


def without_timing(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_timing(v) if k != "output_tail" else PYTEST_TIME.sub(" in <t>", v or "")
                for k, v in value.items() if k not in TIMING}
    if isinstance(value, list):
        return [without_timing(v) for v in value]
    return value


def results(out: Path) -> dict[tuple[str, int], Any]:
    lines = (out / "results.jsonl").read_text().splitlines()
    return {(r["task_id"], r["seed"]): without_timing(r) for r in map(json.loads, lines)}


@contextlib.contextmanager
def on_core(core: int | None) -> Iterator[None]:
    """Processes started inside inherit CPU affinity {core} (None: no pinning)."""
    if core is None:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {core})
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def warmup_tasks(count: int) -> list[str]:
    """Tasks whose episodes run the sandbox (medium, with a bug): a warm-up with them keeps every node busy long
    enough that each one starts its worker and builds its environment before the measured run."""
    from environment.corpus.tasks import load_tasks

    tasks = sorted(load_tasks().tasks.values(), key=lambda t: t.id)
    return [t.id for t in tasks if t.spec.difficulty == "medium" and not t.spec.no_bug][:count]


def evaluate(args: argparse.Namespace, out: Path, url: str, *, node: str | None = None,
             task_ids: list[str] | None = None, quiet: bool = False) -> dict[str, Any]:
    """One eval run; returns its metadata plus its wall time (wall_s)."""
    cfg = EvalConfig(out=out, agent=args.agent, url=url, runner=args.runner, task_ids=task_ids or [],
                     task_name=None if task_ids else args.task_name, limit=None if task_ids else args.limit,
                     progress=False, ray_node=node)
    started = time.monotonic()
    outcome = run_eval(cfg, echo=(lambda _: None) if quiet else print)
    wall = time.monotonic() - started
    if not quiet:
        status = print_outcome(outcome, cfg)
        if status:
            raise SystemExit(f"the eval in {out} reported problems (exit status {status})")
    meta = json.loads((out / "metadata.json").read_text())
    meta["wall_s"] = wall
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--address", help="an existing Ray cluster (default: start a head and a node here)")
    parser.add_argument("--agent", default="oracle")
    parser.add_argument("--runner", default="local", choices=["auto", "docker", "local"])
    parser.add_argument("--task-name", choices=["easy", "medium", "hard"], help="only tasks of this difficulty")
    parser.add_argument("--limit", type=int, help="at most this many tasks (default: the whole corpus)")
    parser.add_argument("--num-cpus", type=int, default=1, help="CPUs of each local node")
    parser.add_argument("--slots", type=int, default=1, help='"sandbox" slots of each local node')
    parser.add_argument("--warmup", type=int, default=3, help="warm-up episodes per node before each measured run")
    parser.add_argument("--out", default="runs/bench-ray", help="folder for the two runs (emptied first)")
    parser.add_argument("--no-pin", action="store_true",
                        help="local nodes: do not give each node its own CPU core (see the module docstring)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if not args.address:
        # a loopback-only cluster (Ray binds the machine's interface address otherwise): no token auth, Ray's
        # files under a throwaway HOME and temp dir, and the nodes' workers import this checkout, as the driver does
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"  # read when ray is imported: nodes on 127.0.0.1
        os.environ.setdefault("RAY_AUTH_MODE", "disabled")
        os.environ["HOME"] = tempfile.mkdtemp(prefix="ray-home-")
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    import ray

    cluster = None
    if args.address:
        address = args.address
        url = address if address.startswith("ray://") else f"ray:{address}"
    else:
        from ray.cluster_utils import Cluster

        node_args = {"num_cpus": args.num_cpus, "resources": {"sandbox": args.slots}, "include_dashboard": False,
                     "temp_dir": tempfile.mkdtemp(prefix="rb-")}
        cores = sorted(os.sched_getaffinity(0))
        pin = not args.no_pin and len(cores) >= 2
        with on_core(cores[0] if pin else None):
            cluster = Cluster(initialize_head=True, head_node_args=node_args)
        address = cluster.address
        url = f"ray:{address}"
    try:
        from environment.trainers.ray_eval import connect

        connect(address)
        nodes = [n for n in ray.nodes() if n["Alive"] and n["Resources"].get("sandbox")]
        first = nodes[0]["NodeID"]
        pinned = first if args.address else None
        evaluate(args, out / "warmup-1", url, node=pinned, task_ids=warmup_tasks(args.warmup), quiet=True)
        one = evaluate(args, out / "one-node", url, node=pinned)
        if cluster is not None:
            with on_core(cores[1] if pin else None):
                cluster.add_node(**node_args)
            cluster.wait_for_nodes()
            deadline = time.monotonic() + 60
            while ray.cluster_resources().get("sandbox", 0) < 2 * args.slots and time.monotonic() < deadline:
                time.sleep(0.5)
        nodes = [n for n in ray.nodes() if n["Alive"] and n["Resources"].get("sandbox")]
        evaluate(args, out / "warmup-all", url, task_ids=warmup_tasks(args.warmup * len(nodes)), quiet=True)
        every = evaluate(args, out / "all-nodes", url)
    finally:
        ray.shutdown()
        if cluster is not None:
            cluster.shutdown()

    slots_one = next(n["Resources"]["sandbox"] for n in nodes if n["NodeID"] == first)
    slots_all = sum(n["Resources"]["sandbox"] for n in nodes)
    linear = slots_all / slots_one
    episodes = one["episodes"]
    rate_one, rate_all = episodes / one["wall_s"], every["episodes"] / every["wall_s"]
    ratio = rate_all / rate_one
    same = results(out / "one-node") == results(out / "all-nodes")
    pinning = "" if args.address else ("; each local node pinned to its own core" if pin else "; nodes not pinned")
    print(f"\n{len(nodes)} node(s), {int(slots_all)} sandbox slot(s); agent {args.agent}, {episodes} episodes, "
          f"runner {args.runner}; {os.cpu_count()} CPU cores on this machine{pinning}")
    print(f"{'run':10} {'nodes':>5} {'wall s':>8} {'episodes/s':>10}  episodes per node")
    for name, meta, count in (("one node", one, 1), ("all nodes", every, len(nodes))):
        per_node = sorted(meta["runner"].get("episodes_per_node", {}).values(), reverse=True)
        print(f"{name:10} {count:5} {meta['wall_s']:8.1f} {meta['episodes'] / meta['wall_s']:10.3f}  {per_node}")
    print(f"throughput ratio {ratio:.2f}x for {linear:.0f}x the slots: {ratio / linear:.0%} of linear "
          f"(goal >= 90%)")
    print(f"results.jsonl identical without timing fields: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
