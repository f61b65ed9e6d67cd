"""`autocoderl eval`: run an agent over a task selection with N concurrent sessions, in-process or
against a server, or as Ray tasks across a cluster (`--url ray:<address>`), resumably; write
results.jsonl, metadata.json, report.html and print summaries."""

from __future__ import annotations

import platform
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from environment.corpus.tasks import Task, TaskSet, load_tasks, task_dirs
from environment.evaluation import report
from environment.evaluation.agents import Agent, make_agent
from environment.evaluation.rollout import LocalSession, RemoteSession, Session, play_episode
from environment.evaluation.store import RunStore, episode_key, now, task_set_version
from environment.evaluation.summary import GroupStats, format_tables, summarize

ORACLE_FLOOR = 0.95  # the oracle below this on a task means the task (not the agent) is broken
NO_BUG = "no_bug"
"""The category of an already-correct (decoy) repo in selections, records and summaries."""
RAY_SCHEME = "ray:"


def ray_address(url: str | None) -> str | None:
    """The Ray address a `--url` names, or None for a server URL: `ray:auto`, `ray:HOST:PORT` (this machine is a
    node of that cluster), `ray://HOST:10001` (Ray Client), `ray:` (RAY_ADDRESS, else a local head)."""
    if not url or not url.startswith(RAY_SCHEME):
        return None
    return url if url.startswith("ray://") else url[len(RAY_SCHEME):]


@dataclass
class EvalConfig:
    out: Path
    agent: str = "oracle"
    task_ids: list[str] = field(default_factory=list)
    task_name: str | None = None
    category: str | None = None
    cwe: str | None = None
    tier: int | None = None
    split: str | None = None
    seeds: list[int] = field(default_factory=lambda: [0])
    limit: int | None = None
    sample_seed: int = 0
    """Seeds the draw of `limit` tasks (the same seed, the same sample)."""
    concurrency: int = 4
    url: str | None = None
    runner: str | None = None
    tasks_dirs: list[str] = field(default_factory=list)
    agent_options: dict[str, Any] = field(default_factory=dict)
    progress: bool = True
    ray_node: str | None = None
    """With a Ray url: run every episode on this node (a single-node baseline on a larger cluster)."""


@dataclass
class EvalOutcome:
    records: list[dict[str, Any]]
    summary: dict[str, list[GroupStats]]
    metadata: dict[str, Any]
    ran: int
    skipped: int
    broken_tasks: dict[str, float]

    @property
    def env_errors(self) -> int:
        return sum(1 for r in self.records if r.get("status") == "env_error")


def select_tasks(tasks: TaskSet, cfg: EvalConfig) -> list[Task]:
    """The selected tasks, sorted by id; with `cfg.limit`, a sample stratified by category (`stratified_sample`).

    Raises:
        ValueError: an unknown task id or an empty selection.
    """
    if cfg.task_ids:
        chosen = []
        for task_id in cfg.task_ids:
            found = tasks.select(task_id=task_id)
            if not found:
                raise ValueError(f"unknown task id {task_id!r}")
            chosen += found
        selected = sorted({t.id: t for t in chosen}.values(), key=lambda t: t.id)
    else:
        clean = cfg.category == NO_BUG
        selected = tasks.select(task_name=cfg.task_name, category=None if clean else cfg.category, cwe=cfg.cwe,
                                tier=cfg.tier, split=cfg.split)
        selected = [t for t in selected if t.spec.no_bug] if clean else selected
    if cfg.limit is not None:
        selected = stratified_sample(selected, cfg.limit, cfg.sample_seed)
    if not selected:
        raise ValueError("no task matches the selection")
    return selected


def stratum(task: Task) -> str:
    """The category a task is sampled under: its first bug's, `no_bug` for an already-correct repo."""
    return task.spec.primary_category or NO_BUG


def stratified_sample(tasks: list[Task], limit: int, seed: int = 0) -> list[Task]:
    """`limit` of `tasks`, sorted by id, stratified by category: while `limit` allows, every category gets a
    task before any gets a second; the rest go in proportion to the categories' sizes (Sainte-Laguë). Ties between
    categories and the tasks taken within each follow a shuffle seeded by `seed` (deterministic)."""
    rng = random.Random(seed)
    strata: dict[str, list[Task]] = defaultdict(list)
    for task in sorted(tasks, key=lambda t: t.id):
        strata[stratum(task)].append(task)
    order = sorted(strata)
    rng.shuffle(order)
    for name in order:
        rng.shuffle(strata[name])
    taken = dict.fromkeys(order, 0)
    for _ in range(min(max(limit, 0), len(tasks))):
        open_ = [name for name in order if taken[name] < len(strata[name])]
        best = max(open_, key=lambda name: (taken[name] == 0, len(strata[name]) / (2 * taken[name] + 1)))
        taken[best] += 1
    return sorted((t for name in order for t in strata[name][: taken[name]]), key=lambda t: t.id)


def _record(task: Task, seed: int, agent: Agent, result: Any) -> dict[str, Any]:
    spec = task.spec
    described = agent.describe()
    return {"task_id": task.id, "seed": seed, "agent": agent.name, "model": described.get("model"),
            "difficulty": spec.difficulty, "category": stratum(task),
            "categories": sorted({b.category for b in spec.bugs}) or [NO_BUG], "cwes": list(spec.cwes),
            "tier": spec.tier, "split": spec.split, "no_bug": spec.no_bug,
            "security": any(b.category == "security" for b in spec.bugs), "task_hash": task.content_hash,
            **result.to_dict(), "finished": now()}


def _runner_info(backend: Any, url: str | None, runner: str | None = None) -> dict[str, Any]:
    if ray_address(url) is not None:
        import ray

        nodes = [n for n in ray.nodes() if n.get("Alive") and n.get("Resources", {}).get("sandbox")]
        return {"mode": "ray", "url": url, "runner": runner or "auto", "nodes": len(nodes),
                "sandbox_slots": int(sum(n["Resources"]["sandbox"] for n in nodes))}
    if url:
        import httpx

        try:
            health = httpx.get(f"{url.rstrip('/')}/health", timeout=10).json()
        except (httpx.HTTPError, ValueError) as exc:
            return {"mode": "server", "url": url, "error": str(exc)}
        return {"mode": "server", "url": url, "runner": health.get("runner"), "isolation": health.get("isolation"),
                "image": health.get("image"), "base_environment": health.get("base_environment"),
                "environments": health.get("environments")}
    runner = backend.runner
    info = {"mode": "in-process", "runner": runner.name, "isolation": runner.isolation.value, "image": runner.image}
    if runner.image:
        try:
            info["image_id"] = runner.api.inspect_image(runner.image)["Id"]
        except Exception:  # the id is informative only
            pass
    return info


def prepare_environments(backend: Any, tasks: list[Task], echo: Callable[[str], None]) -> dict[str, Any]:
    """Build (blocking) the environment of every selected task that declares requirements, before any episode;
    returns task id -> the environment (or its error) for the run's metadata."""
    from sandbox.requirements import RequirementsError

    found: dict[str, Any] = {}
    for task in tasks:
        if task.spec.requirements:
            try:
                found[task.id] = backend.evaluator.environment(task, wait=True).to_dict()
            except RequirementsError as exc:
                echo(f"{task.id}: {exc}")
                found[task.id] = {"requirements": list(task.spec.requirements), "error": str(exc)}
    return found


def _build_backend(cfg: EvalConfig, tasks: TaskSet) -> Any:
    from environment.env import Backend, in_process_settings

    return Backend.create(in_process_settings(**({"AUTOCODERL_RUNNER": cfg.runner} if cfg.runner else {})), tasks)


def _check_resume(previous: dict[str, Any] | None, agent_info: dict[str, Any]) -> None:
    if not previous:
        return
    before = previous.get("agent", {})
    for key in ("agent", "model"):
        if before.get(key) != agent_info.get(key):
            raise ValueError(f"the output directory holds a run of {before.get(key)!r}, not {agent_info.get(key)!r}; "
                             "use another --out")


def run_eval(cfg: EvalConfig, *, backend: Any = None, agent: Agent | None = None,
             echo: Callable[[str], None] = print) -> EvalOutcome:
    """Run (or resume) an evaluation. Raises ValueError for a bad selection or a mismatched --out."""
    from tqdm import tqdm

    tasks = backend.tasks if backend is not None else load_tasks(task_dirs(cfg.tasks_dirs))
    selected = select_tasks(tasks, cfg)
    given_agent = agent
    agent = agent or make_agent(cfg.agent, **cfg.agent_options)
    store = RunStore(cfg.out)
    previous = store.read_metadata()
    _check_resume(previous, agent.describe())
    records = store.load()
    if store.dropped_lines:
        echo(f"dropped {store.dropped_lines} unreadable line(s) from {store.results_path}")
    wanted = [(task, seed) for task in selected for seed in cfg.seeds]
    done = store.done_keys(records)
    pending = [(t, s) for t, s in wanted if episode_key(t.id, s) not in done  # new, failed, or the task changed
               or records[episode_key(t.id, s)].get("task_hash") != t.content_hash]
    on_ray = ray_address(cfg.url) is not None
    if on_ray:
        from environment.trainers.ray_eval import connect

        connect(ray_address(cfg.url) or None)
    if pending and cfg.url is None and backend is None:
        backend = _build_backend(cfg, tasks)
    metadata = {
        "agent": agent.describe(), "started": (previous or {}).get("started") or now(), "finished": None,
        "runs": int((previous or {}).get("runs", 0)) + 1,
        "runner": _runner_info(backend, cfg.url, cfg.runner) if (cfg.url or backend)
        else (previous or {}).get("runner"),
        "task_set_version": task_set_version(selected),
        "selection": {"task_ids": cfg.task_ids or None, "task_name": cfg.task_name, "category": cfg.category,
                      "cwe": cfg.cwe, "tier": cfg.tier, "split": cfg.split, "limit": cfg.limit,
                      "sample_seed": cfg.sample_seed if cfg.limit is not None else None,
                      "tasks": [t.id for t in selected]},
        "seeds": cfg.seeds, "k": len(cfg.seeds), "concurrency": cfg.concurrency, "episodes": len(wanted),
        "python": platform.python_version(),
    }
    if backend is not None and cfg.url is None:
        metadata["runner"]["base_environment"] = backend.runner.environments.base_info.to_dict()
        metadata["task_environments"] = prepare_environments(backend, [t for t, _ in pending], echo)
    store.write_metadata(metadata)

    def session() -> Session:
        return RemoteSession(cfg.url) if cfg.url else LocalSession(backend)

    def one(task: Task, seed: int) -> dict[str, Any]:
        result = play_episode(session, lambda: agent.new_episode(task, seed), {"task_id": task.id, "seed": seed})
        record = _record(task, seed, agent, result)
        store.append(record)
        return record

    def finished() -> Iterator[dict[str, Any]]:
        """Each pending episode's record as it finishes (threads here, or Ray tasks on the cluster)."""
        if on_ray:
            from environment.trainers.ray_eval import eval_episodes

            spec = (cfg.agent, cfg.agent_options) if given_agent is None else agent
            per_node: dict[str, int] = defaultdict(int)
            for i, result, node in eval_episodes([(t.id, s) for t, s in pending], spec, runner=cfg.runner,
                                                 tasks_dirs=cfg.tasks_dirs, node_id=cfg.ray_node):
                task, seed = pending[i]
                record = _record(task, seed, agent, result)
                store.append(record)
                per_node[node] += 1
                metadata["runner"]["episodes_per_node"] = dict(per_node)
                yield record
            return
        pool = ThreadPoolExecutor(max_workers=max(1, cfg.concurrency), thread_name_prefix="autocoderl-eval")
        try:
            for future in as_completed([pool.submit(one, t, s) for t, s in pending]):
                yield future.result()
        except BaseException:  # Ctrl-C: finished episodes are on disk; do not start the queued ones
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()

    with tqdm(total=len(pending), desc=f"eval {agent.name}", unit="ep", file=sys.stderr,
              disable=not cfg.progress or not pending) as bar:
        solved = 0
        for record in finished():
            records[episode_key(record["task_id"], record["seed"])] = record
            solved += bool(record["solved"])
            bar.update(1)
            bar.set_postfix(solved=solved)

    selection = [records[k] for k in (episode_key(t.id, s) for t, s in wanted) if k in records]
    summary = summarize(selection, k=len(cfg.seeds))
    metadata["finished"] = now()
    metadata["summary"] = {g: [s.as_dict() for s in rows] for g, rows in summary.items()}
    store.write_metadata(metadata)
    (store.out / "report.html").write_text(report.render(summary, metadata, selection), encoding="utf-8")
    broken: dict[str, float] = {}
    if agent.name == "oracle":
        per_task: dict[str, list[float]] = defaultdict(list)
        for record in selection:
            per_task[record["task_id"]].append(record["reward"])
        broken = {t: sum(v) / len(v) for t, v in per_task.items() if sum(v) / len(v) < ORACLE_FLOOR}
    return EvalOutcome(records=selection, summary=summary, metadata=metadata, ran=len(pending),
                       skipped=len(wanted) - len(pending), broken_tasks=broken)


def print_outcome(outcome: EvalOutcome, cfg: EvalConfig, echo: Callable[[str], None] = print) -> int:
    """Print the summary tables and what needs attention; returns the exit status."""
    echo(f"{outcome.ran} episode(s) run, {outcome.skipped} already in {cfg.out / 'results.jsonl'}")
    echo(format_tables(outcome.summary))
    echo(f"wrote {cfg.out / 'results.jsonl'}, {cfg.out / 'metadata.json'}, {cfg.out / 'report.html'}")
    status = 0
    if outcome.env_errors:
        echo(f"{outcome.env_errors} episode(s) hit environment errors (re-run on resume)")
        status = 1
    for task_id, mean in sorted(outcome.broken_tasks.items()):
        echo(f"BROKEN TASK? the oracle scored {mean:.3f} < {ORACLE_FLOOR} on {task_id}")
        status = 1
    return status
