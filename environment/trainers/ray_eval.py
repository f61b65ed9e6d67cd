"""Run review episodes as Ray tasks (optional extra `autocoderl[ray]`), or locally with the same results.

An episode is `(task_id, seed, agent)`. The agent is one of:

- a callable `agent(env, task)` that plays the episode on `env` (an in-process AutoCodeEnv, already
  reset to the task and seed; it may reset again), like the policies in tests/environment/policies.py;
- an object with `new_episode(task, seed)` returning a policy whose `act(observation)` gives the next
  ReviewAction (the `environment.evaluation` Agent protocol), played until the episode is done;
- a string: `"module:attribute"` (imported where the episode runs; a class is instantiated) or a
  built-in agent name of `environment.evaluation` (oracle, noop, approve, random).

`run_ray` submits one Ray task per episode (`num_cpus=0, resources={"sandbox": 1}`: advertise the
sandboxes a node can run with `ray start --resources='{"sandbox": N}'`); each task builds its own
Backend, runner and environment on its node. A sandbox failure (unscorable step) raises SandboxError
and Ray retries the task (max_retries); a task still running at the deadline is cancelled
(`ray.cancel(force=True)`) and reported as status "timeout". `run_local` takes the same arguments and
returns the same list (same order, same fields); only each result's "meta" (node, pid, duration)
differs, so `comparable(results)` of both are equal.

`eval_episodes` is what `autocoderl eval --url ray:<address>` runs: each `(task_id, seed)` of a built-in
agent (or a picklable Agent object) is one Ray task that plays `environment.evaluation.rollout.play_episode`
on its node's in-process environment (one Backend per worker process, reused), so the records equal those
of an in-process or server run; results stream back as they finish.
"""

from __future__ import annotations

import importlib
import os
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from environment.corpus.baselines import BaselineError
from environment.env import AutoCodeEnv, Backend, EnvError
from environment.models import ReviewObservation
from sandbox.types import SandboxError

try:
    import ray
except ImportError:  # the optional extra is not installed: run_local still works
    ray = None

Episode = tuple[str, int, Any]
STEP_GUARD = 64  # far above any task's max_steps


class RecordingEnv(AutoCodeEnv):
    """AutoCodeEnv that keeps the episode's actions and observations (cleared on reset)."""

    def reset(self, *args: Any, **kwargs: Any) -> ReviewObservation:
        obs = super().reset(*args, **kwargs)
        self.log: list[tuple[dict[str, Any], ReviewObservation]] = []
        self.last = obs
        return obs

    def step(self, action: Any, *args: Any, **kwargs: Any) -> ReviewObservation:
        obs = super().step(action, *args, **kwargs)
        self.log.append((action.model_dump(exclude_none=True, exclude={"metadata"}), obs))
        self.last = obs
        return obs


def agent_name(agent: Any) -> str:
    if isinstance(agent, str):
        return agent
    name = getattr(agent, "name", None)
    if isinstance(name, str):
        return name
    return f"{getattr(agent, '__module__', '?')}:{getattr(agent, '__qualname__', type(agent).__qualname__)}"


def resolve_agent(agent: Any) -> Any:
    """A string agent as the object it names (see the module docstring); anything else unchanged."""
    if not isinstance(agent, str):
        return agent
    if ":" in agent:
        module, _, attr = agent.partition(":")
        found: Any = importlib.import_module(module)
        for part in attr.split("."):
            found = getattr(found, part)
        return found() if isinstance(found, type) else found
    from environment.evaluation.agents import make_agent

    return make_agent(agent)


def build_backend(runner: str, tasks_dirs: Sequence[str] = ()) -> Backend:
    """A Backend for one episode: its own runner, one sandbox run at a time."""
    from environment.corpus.tasks import load_tasks, task_dirs
    from environment.env import in_process_settings

    settings = in_process_settings(AUTOCODERL_RUNNER=runner, AUTOCODERL_MAX_PARALLEL_RUNS="1", MAX_CONCURRENT_ENVS="1")
    return Backend.create(settings, load_tasks(task_dirs(tasks_dirs)))


def _result(task_id: str, seed: int, agent: str, *, status: str = "ok", error: dict[str, str] | None = None,
            env: RecordingEnv | None = None) -> dict[str, Any]:
    log = getattr(env, "log", []) if env is not None else []
    last: ReviewObservation | None = getattr(env, "last", None) if env is not None else None
    return {
        "task_id": task_id, "seed": seed, "agent": agent, "status": status,
        "reward": float(env.state.episode_reward) if env is not None and last is not None else None,
        "solved": bool(last.solved) if last is not None else False,
        "steps": len(log), "done_reason": last.done_reason if last is not None else None,
        "reward_breakdown": dict(last.reward_breakdown) if last is not None else {},
        "actions": [action for action, _ in log], "step_rewards": [float(o.reward or 0.0) for _, o in log],
        "error": error, "meta": {},
    }


def play_episode(task_id: str, seed: int, agent: Any, *, runner: str = "local",
                 tasks_dirs: Sequence[str] = ()) -> dict[str, Any]:
    """Play one episode in-process and return its result dict.

    Raises:
        SandboxError: a step was unscorable (our sandbox failed): retry the episode.
    """
    started = time.monotonic()
    name = agent_name(agent)
    backend = build_backend(runner, tasks_dirs)
    env: RecordingEnv | None = None
    try:
        found = backend.tasks.select(task_id=task_id)
        if not found:
            return _result(task_id, seed, name, status="env_error",
                           error={"code": "NO_MATCHING_TASK", "message": f"no task {task_id!r}"})
        task = found[0]
        env = RecordingEnv(backend)
        try:
            player = resolve_agent(agent)
            obs = env.reset(task_id=task.id, seed=seed)
            if hasattr(player, "new_episode"):
                policy = player.new_episode(task, seed)
                while not obs.done and len(env.log) < STEP_GUARD:
                    obs = env.step(policy.act(obs))
            elif callable(player):
                player(env, task)
            else:
                raise TypeError(f"not an agent: {player!r}")
        except EnvError as exc:
            if exc.code == "UNSCORABLE":
                raise SandboxError(str(exc), runner=backend.runner.name) from None
            result = _result(task_id, seed, name, status="env_error",
                             error={"code": exc.code, "message": str(exc).partition(": ")[2]}, env=env)
        except SandboxError:
            raise
        except BaselineError as exc:
            result = _result(task_id, seed, name, status="env_error",
                             error={"code": "BASELINE_FAILED", "message": str(exc)}, env=env)
        except Exception as exc:  # the agent's failure is that episode's result, never the run's
            result = _result(task_id, seed, name, status="agent_error",
                             error={"code": "AGENT_CRASHED", "message": repr(exc)}, env=env)
        else:
            result = _result(task_id, seed, name, env=env)
        result["meta"] = {"runner": backend.runner.name, "isolation": backend.isolation,
                          "duration_s": round(time.monotonic() - started, 3), "pid": os.getpid()}
        return result
    finally:
        if env is not None:
            env.close()
        backend.workers.shutdown(wait=False, cancel_futures=True)


def _failed(spec: Episode, status: str, code: str, message: str) -> dict[str, Any]:
    task_id, seed, agent = spec
    return _result(task_id, seed, agent_name(agent), status=status, error={"code": code, "message": message})


def _specs(episodes: Iterable[Sequence[Any]]) -> list[Episode]:
    specs = []
    for episode in episodes:
        task_id, seed, agent = episode
        specs.append((str(task_id), int(seed), agent))
    return specs


def comparable(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results without their run-specific "meta" (what run_local and run_ray must agree on)."""
    return [{k: v for k, v in r.items() if k != "meta"} for r in results]


def run_local(episodes: Iterable[Sequence[Any]], *, runner: str = "local", tasks_dirs: Sequence[str] = (),
              deadline_s: float | None = None, max_retries: int = 2) -> list[dict[str, Any]]:
    """Play the episodes one after another in this process (the reference for run_ray).

    The deadline is checked between episodes (a running episode is bounded by AUTOCODERL_STEP_TIMEOUT
    per step); episodes not started by then are reported as status "timeout".
    """
    specs = _specs(episodes)
    deadline = None if deadline_s is None else time.monotonic() + deadline_s
    results = []
    for spec in specs:
        if deadline is not None and time.monotonic() >= deadline:
            results.append(_failed(spec, "timeout", "DEADLINE_EXCEEDED", f"not finished within {deadline_s} s"))
            continue
        for attempt in range(max_retries + 1):
            try:
                result = play_episode(*spec, runner=runner, tasks_dirs=tasks_dirs)
            except SandboxError as exc:
                if attempt < max_retries:
                    continue
                result = _failed(spec, "env_error", "UNSCORABLE", str(exc))
            result["meta"].update(node="local", attempts=attempt + 1)
            break
        results.append(result)
    return results


if ray is not None:

    @ray.remote(num_cpus=0, resources={"sandbox": 1}, max_retries=2, retry_exceptions=[SandboxError])
    def _episode_task(task_id: str, seed: int, agent: Any, runner: str, tasks_dirs: tuple[str, ...]) -> dict[str, Any]:
        result = play_episode(task_id, seed, agent, runner=runner, tasks_dirs=tasks_dirs)
        result["meta"]["node"] = ray.get_runtime_context().get_node_id()
        return result


def _connect() -> None:
    if ray.is_initialized():
        return
    if os.environ.get("RAY_ADDRESS"):
        ray.init()
    else:  # a throwaway local head sized to this machine
        ray.init(resources={"sandbox": os.cpu_count() or 2}, include_dashboard=False)


def run_ray(episodes: Iterable[Sequence[Any]], *, runner: str = "local", tasks_dirs: Sequence[str] = (),
            deadline_s: float | None = None, max_retries: int = 2) -> list[dict[str, Any]]:
    """Play the episodes as Ray tasks (one each) and return results in the input order.

    Uses the connected Ray (ray.init before), else RAY_ADDRESS, else starts a local head with a
    "sandbox" resource per CPU.

    Raises:
        RuntimeError: ray is not installed, or the cluster advertises no "sandbox" resource.
    """
    if ray is None:
        raise RuntimeError("ray is not installed: pip install 'autocoderl[ray]'")
    _connect()
    if ray.cluster_resources().get("sandbox", 0) < 1:
        raise RuntimeError('the Ray cluster has no "sandbox" resource; start nodes with '
                           "ray start --resources='{\"sandbox\": N}' (or ray.init(resources=...))")
    specs = _specs(episodes)
    task = _episode_task.options(max_retries=max_retries)
    refs = [task.remote(t, s, a, runner, tuple(tasks_dirs)) for t, s, a in specs]
    index = {ref: i for i, ref in enumerate(refs)}
    results: list[dict[str, Any] | None] = [None] * len(refs)
    deadline = None if deadline_s is None else time.monotonic() + deadline_s
    pending = list(refs)
    while pending:
        timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
        done, pending = ray.wait(pending, num_returns=1, timeout=timeout)
        if not done:
            break
        for ref in done:
            i = index[ref]
            try:
                results[i] = ray.get(ref)
            except SandboxError as exc:  # RayTaskError is an instance of its cause; retries are spent
                results[i] = _failed(specs[i], "env_error", "UNSCORABLE", str(exc).strip().splitlines()[-1])
            except Exception as exc:  # worker died past its retries, or the task could not run
                results[i] = _failed(specs[i], "env_error", type(exc).__name__.upper(), str(exc)[-500:])
    for ref in pending:
        ray.cancel(ref, force=True)
        results[index[ref]] = _failed(specs[index[ref]], "timeout", "DEADLINE_EXCEEDED",
                                      f"not finished within {deadline_s} s; cancelled")
    return [r for r in results if r is not None]



_NODE_BACKENDS: dict[tuple[str | None, tuple[str, ...]], Backend] = {}
OPENAI_ENV = ("API_BASE_URL", "MODEL_NAME", "HF_TOKEN", "OPENAI_API_KEY", "API_KEY", "LLM_TIMEOUT", "LLM_MAX_RETRIES",
              "FORMAT_RETRIES", "TEMPERATURE", "MAX_TOKENS")


def node_backend(runner: str | None, tasks_dirs: Sequence[str] = ()) -> Backend:
    """This process's Backend for `runner` (None: AUTOCODERL_RUNNER or auto) and task folders, built once; one
    sandbox run at a time (a Ray task holds one "sandbox" slot)."""
    from environment.corpus.tasks import load_tasks, task_dirs
    from environment.env import in_process_settings

    key = (runner, tuple(tasks_dirs))
    if key not in _NODE_BACKENDS:
        overrides = {"AUTOCODERL_MAX_PARALLEL_RUNS": "1", **({"AUTOCODERL_RUNNER": runner} if runner else {})}
        _NODE_BACKENDS[key] = Backend.create(in_process_settings(**overrides), load_tasks(task_dirs(tasks_dirs)))
    return _NODE_BACKENDS[key]


def eval_episode(task_id: str, seed: int, agent: Any, runner: str | None, tasks_dirs: tuple[str, ...]) -> Any:
    """One `autocoderl eval` episode on this node: an EpisodeResult (`environment.evaluation.rollout`).

    `agent` is an Agent object or (name, options) of a built-in agent.

    Raises:
        SandboxError: a step was unscorable (our sandbox failed): retry the episode.
    """
    from environment.evaluation.agents import make_agent
    from environment.evaluation.rollout import EpisodeResult, LocalSession
    from environment.evaluation.rollout import play_episode as play

    backend = node_backend(runner, tasks_dirs)
    found = backend.tasks.select(task_id=task_id)
    if not found:
        return EpisodeResult(status="env_error", error={"code": "NO_MATCHING_TASK", "message": f"no task {task_id!r}"})
    task = found[0]
    player = make_agent(agent[0], **agent[1]) if isinstance(agent, tuple) else agent
    result = play(lambda: LocalSession(backend), lambda: player.new_episode(task, seed),
                  {"task_id": task.id, "seed": seed})
    if result.status == "env_error" and (result.error or {}).get("code") == "UNSCORABLE":
        raise SandboxError(result.error["message"], runner=backend.runner.name)
    return result


def connect(address: str | None = None) -> None:
    """Join the Ray cluster at `address` (as ray.init takes it: "auto", "HOST:PORT", "ray://HOST:10001"), else
    RAY_ADDRESS, else start a local head sized to this machine. Already connected: nothing happens.

    Raises:
        RuntimeError: ray is not installed, or the cluster advertises no "sandbox" resource.
    """
    if ray is None:
        raise RuntimeError("ray is not installed: pip install 'autocoderl[ray]'")
    if not ray.is_initialized():
        if address:
            ray.init(address=address, log_to_driver=False)
        else:
            _connect()
    if ray.cluster_resources().get("sandbox", 0) < 1:
        raise RuntimeError('the Ray cluster has no "sandbox" resource; start nodes with '
                           "ray start --resources='{\"sandbox\": N}' (or ray.init(resources=...))")


def eval_episodes(jobs: Sequence[tuple[str, int]], agent: Any, *, runner: str | None = None,
                  tasks_dirs: Sequence[str] = (), address: str | None = None, node_id: str | None = None,
                  max_retries: int = 2) -> Iterator[tuple[int, Any, str]]:
    """Play `(task_id, seed)` episodes of `agent` (an Agent object, or (name, options) of a built-in one) as Ray
    tasks, one "sandbox" slot each, spread over the nodes; yield (job index, EpisodeResult, node id) as each
    finishes. `node_id` pins every episode to one node (a single-node baseline on a larger cluster). An episode
    whose task could not run (its retries spent) comes back as an env_error result."""
    from environment.evaluation.rollout import EpisodeResult

    connect(address)
    options: dict[str, Any] = {"max_retries": max_retries, "scheduling_strategy": "SPREAD"}
    if node_id:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        options["scheduling_strategy"] = NodeAffinitySchedulingStrategy(node_id=node_id, soft=False)
    name = agent[0] if isinstance(agent, tuple) else getattr(agent, "name", "")
    if name == "openai":  # the workers' environment lacks the driver's endpoint settings and keys
        options["runtime_env"] = {"env_vars": {k: os.environ[k] for k in OPENAI_ENV if k in os.environ}}
    task = _eval_task.options(**options)
    refs = {task.remote(t, s, agent, runner, tuple(tasks_dirs)): i for i, (t, s) in enumerate(jobs)}
    pending = list(refs)
    try:
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for ref in done:
                try:
                    result, node = ray.get(ref)
                except SandboxError as exc:
                    result, node = EpisodeResult(status="env_error", error={
                        "code": "UNSCORABLE", "message": str(exc).strip().splitlines()[-1]}), ""
                except Exception as exc:  # the worker died past its retries, or the task could not run
                    result, node = EpisodeResult(status="env_error", error={
                        "code": type(exc).__name__.upper(), "message": str(exc)[-500:]}), ""
                yield refs[ref], result, node
    finally:  # the caller stopped early (Ctrl-C): do not leave episodes running on the cluster
        for ref in pending:
            ray.cancel(ref, force=True)


if ray is not None:

    @ray.remote(num_cpus=0, resources={"sandbox": 1}, max_retries=2, retry_exceptions=[SandboxError])
    def _eval_task(task_id: str, seed: int, agent: Any, runner: str | None, tasks_dirs: tuple[str, ...]) -> tuple[
            Any, str]:
        return eval_episode(task_id, seed, agent, runner, tasks_dirs), ray.get_runtime_context().get_node_id()

__all__ = ["RecordingEnv", "agent_name", "build_backend", "comparable", "connect", "eval_episode", "eval_episodes",
           "node_backend", "play_episode", "resolve_agent", "run_local", "run_ray"]
