"""AutoCodeEnv: the OpenEnv Environment. reset picks a task deterministically; step applies one
review action under a server-side deadline (the framework has none); state is O(1)."""

from __future__ import annotations

import os
import random
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

import environment.openenv_compat  # noqa: F401 - before openenv: skips its Gradio UI

# isort: split
from openenv.core.env_server.interfaces import Environment
from openenv.core.env_server.types import EnvironmentMetadata

from environment import rewards as R
from environment.artifacts import write_step
from environment.config import Settings, load_settings
from environment.corpus.baselines import read_recorded
from environment.corpus.curriculum import SecurityCurriculum
from environment.corpus.tasks import Task, TaskSet, load_tasks, task_dirs
from environment.corpus.variant_cache import VariantCache
from environment.episode import Episode, StepOutcome, StepRejected
from environment.evaluator import Evaluator
from environment.models import ReviewAction, ReviewObservation, ReviewState
from graders.fix_policy import check_fix, runtime_only
from sandbox import make_runner
from sandbox.environments import EnvironmentPreparing
from sandbox.interpreter import same_build
from sandbox.requirements import RequirementsError
from sandbox.types import Runner, SandboxError


def in_process_settings(**overrides: str) -> Settings:
    """Settings for in-process use (gym, Ray, `autocoderl eval`): os.environ plus `overrides`; a step waits
    for a task environment being built unless AUTOCODERL_PREPARE_ENVIRONMENTS says otherwise."""
    return load_settings({"AUTOCODERL_PREPARE_ENVIRONMENTS": "wait", **os.environ, **overrides})


RUNS_CODE = frozenset({"suggest_fix", "apply_fix", "run_tests"})
"""Actions that run the sandbox (and so may take long); the others only update the episode."""


class EnvError(Exception):
    """A client mistake or an unscorable step, sent as an error frame whose code is `code`."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass
class Backend:
    """Process-wide shared pieces: tasks, the runner and its evaluator, settings, worker threads."""

    settings: Settings
    tasks: TaskSet
    runner: Runner
    evaluator: Evaluator = field(init=False)
    workers: ThreadPoolExecutor = field(init=False)

    def __post_init__(self) -> None:
        self.evaluator = Evaluator(self.runner, max_parallel=self.settings.max_parallel_runs,
                                   wait_for_environment=self.settings.prepare_environments == "wait",
                                   policy=runtime_only if self.settings.fix_policy == "runtime-only" else check_fix)
        self.workers = ThreadPoolExecutor(max_workers=max(4, self.settings.max_concurrent_envs),
                                          thread_name_prefix="autocoderl-step")
        self.variants = VariantCache(self.evaluator)
        self._interpreter: dict[str, Any] | None = None
        if self.settings.prepare_environments == "background":
            for task in self.tasks.tasks.values():
                self.environment_status(task, start=True)

    @classmethod
    def create(cls, settings: Settings, tasks: TaskSet | None = None) -> Backend:
        """A Backend with the runner `settings` name and the tasks of its folders (unless `tasks` is given)."""
        tasks = tasks if tasks is not None else load_tasks(task_dirs(settings.tasks_dirs))
        return cls(settings=settings, tasks=tasks, runner=make_runner(settings.runner))

    def environment_status(self, task: Task, *, start: bool = False) -> str:
        """ready | preparing | failed | missing; `start` begins building a missing environment (never blocks)."""
        status = self.evaluator.environment_status(task)
        if start and status == "missing":
            try:
                self.evaluator.environment(task, wait=False)
            except EnvironmentPreparing:
                return "preparing"
            except RequirementsError:
                return "failed"
            return "ready"
        return status

    def variant(self, task: Task, seed: int) -> tuple[Task, int | None, str]:
        """(task to serve, variant seed actually used, note): the original task when the variant fails."""
        varied, why = self.variants.get(task, seed)
        if varied is None:
            return task, None, f" Variant {seed} is not available for this task ({why}); this is the original."
        return varied, seed, ""

    @property
    def isolation(self) -> str:
        return self.runner.isolation.value

    def interpreter_report(self) -> dict[str, Any]:
        """The runner's interpreter and the tasks whose recorded baseline came from another build (their
        verdicts may differ here: re-record them with `autocoderl tasks validate --record`)."""
        if self._interpreter is None:
            python = getattr(self.runner, "python", lambda: None)()
            recorded = {t.id: b.python for t in self.tasks.tasks.values() if (b := read_recorded(t)) is not None}
            other = sorted(t for t, v in recorded.items() if python and not same_build(v, python))
            self._interpreter = {"python": python, "baselines_on_another_python": other}
        return self._interpreter


class AutoCodeEnv(Environment[ReviewAction, ReviewObservation, ReviewState]):
    SUPPORTS_CONCURRENT_SESSIONS = True

    def __init__(self, backend: Backend) -> None:
        super().__init__()
        self.backend = backend
        self._episode: Episode | None = None
        self._state = ReviewState(runner=backend.runner.name)
        self._mode = backend.settings.reward_mode
        self._curriculum: SecurityCurriculum | None = None
        self._environment_status = "ready"

    def reset(self, seed: int | None = None, episode_id: str | None = None, task_name: str | None = None,
              task_id: str | None = None, category: str | None = None, cwe: str | None = None,
              tier: int | None = None, split: str | None = None, reward_mode: str | None = None,
              curriculum: dict[str, Any] | None = None, variant_seed: int | None = None,
              **kwargs: Any) -> ReviewObservation:
        if kwargs:
            raise EnvError("INVALID_RESET", f"unknown reset option(s): {', '.join(sorted(kwargs))}")
        if reward_mode not in (None, "shaped", "binary"):
            raise EnvError("INVALID_RESET", "reward_mode must be 'shaped' or 'binary'")
        if task_name not in (None, "easy", "medium", "hard"):
            raise EnvError("INVALID_RESET", "task_name must be easy, medium or hard")
        if variant_seed is not None and (isinstance(variant_seed, bool) or not isinstance(variant_seed, int)):
            raise EnvError("INVALID_RESET", "variant_seed must be an integer")
        self._finish_curriculum_episode()
        if curriculum is not None:
            category, tier = "security", self._curriculum_tier(curriculum)
        candidates = self.backend.tasks.select(task_name=task_name, task_id=task_id, category=category, cwe=cwe,
                                               tier=tier, split=split)
        if not candidates:
            raise EnvError("NO_MATCHING_TASK", "no task matches the reset options")
        servable = [t for t in candidates if not self.backend.evaluator.environment_failed(t)]
        if not servable:
            raise EnvError("UNMET_REQUIREMENTS", "the matching tasks' requirements cannot be installed "
                                                 "(see /health environments or `autocoderl sandbox build`)")
        candidates = servable
        rng = random.Random(seed) if seed is not None else random.SystemRandom()
        clean = [t for t in candidates if t.spec.no_bug]
        buggy = [t for t in candidates if not t.spec.no_bug]
        if clean and buggy:  # about one episode in twelve is an already-correct repo, whatever the corpus mix
            candidates = clean if rng.random() < R.CLEAN_EPISODE_SHARE else buggy
        task = candidates[rng.randrange(len(candidates))]
        note = ""
        if variant_seed is not None:
            task, variant_seed, note = self.backend.variant(task, variant_seed)
        self._mode = reward_mode or self.backend.settings.reward_mode
        self._episode = Episode(task, self.backend.evaluator, self.backend.runner.name, self.backend.isolation)
        self._environment_status = self.backend.environment_status(task, start=True)
        if self._environment_status == "preparing":
            note += (" The repo's environment (its declared requirements) is being prepared; steps that run code "
                     "answer ENVIRONMENT_PREPARING until it is ready.")
        self._state = ReviewState(episode_id=episode_id or str(uuid.uuid4()), step_count=0, task_id=task.public_id,
                                  task_difficulty=task.spec.difficulty, seed=seed, variant_seed=variant_seed,
                                  reward_mode=self._mode,
                                  runner=self.backend.runner.name,
                                  curriculum_tier=self._curriculum.tier if curriculum is not None else None)
        return self._observe(StepOutcome("New review. Read the PR description and the code." + note), reward=0.0,
                             previous=None)

    def _curriculum_tier(self, options: dict[str, Any]) -> int:
        if not isinstance(options, dict) or options.get("track", "security") != "security":
            raise EnvError("INVALID_RESET", "curriculum must be an object with track 'security'")
        if self._curriculum is None:
            try:
                self._curriculum = SecurityCurriculum(window=int(options.get("window", 8)),
                                                      threshold=float(options.get("threshold", 0.75)))
            except (TypeError, ValueError) as exc:
                raise EnvError("INVALID_RESET", f"curriculum: {exc}") from None
        return self._curriculum.tier

    def _finish_curriculum_episode(self) -> None:
        episode = self._episode
        if self._curriculum is not None and episode is not None and episode.done \
                and self._state.curriculum_tier is not None:
            self._curriculum.record(episode.solved)

    def step(self, action: ReviewAction, timeout_s: float | None = None, **kwargs: Any) -> ReviewObservation:
        episode = self._episode
        if episode is None:
            raise EnvError("NOT_RESET", "call reset before step")
        if episode.done:
            raise EnvError("EPISODE_DONE", "the episode is over; call reset to start a new one")
        deadline = timeout_s or self.backend.settings.step_timeout_s
        before = episode.ledger.total()
        try:
            if action.action_type in RUNS_CODE:  # under the server-side deadline, in a worker thread
                outcome = self.backend.workers.submit(episode.step, action).result(timeout=deadline)
            else:  # bookkeeping only (microseconds): no thread hop
                outcome = episode.step(action)
        except FutureTimeout:
            self._episode = None  # a late result must not mutate an episode the client still uses
            raise EnvError("STEP_TIMEOUT", f"the step did not finish within {deadline:.0f} s; "
                                           "the episode was abandoned, call reset") from None
        except EnvironmentPreparing as exc:
            self._environment_status = "preparing"
            raise EnvError("ENVIRONMENT_PREPARING", f"{exc}; this step was not counted") from None
        except RequirementsError as exc:
            self._environment_status = "failed"
            raise EnvError("UNMET_REQUIREMENTS", f"{exc}; this step was not counted") from None
        except SandboxError as exc:
            raise EnvError("UNSCORABLE", f"the sandbox failed ({exc}); this step was not counted") from None
        except StepRejected as exc:
            raise EnvError(exc.code, str(exc)) from None
        self._state.step_count = episode.step_number
        self._environment_status = "ready" if outcome.execution is not None else self._environment_status
        total = episode.ledger.total()
        reward = total - before
        if self._mode == "binary":
            reward = (1.0 if episode.solved else 0.0) if episode.done else 0.0
        if episode.done:
            self._state.done = True
        self._state.episode_reward = total if self._mode == "shaped" else (1.0 if episode.solved else 0.0)
        self._state.solved = episode.solved
        observation = self._observe(outcome, reward=reward, previous=action.action_type)
        if self.backend.settings.artifacts_dir:
            write_step(self.backend.settings.artifacts_dir, self._state.episode_id or "episode", episode.step_number,
                       {"task_id": episode.task.id, "variant_seed": self._state.variant_seed,
                        "action": action.model_dump(exclude={"metadata"}),
                        "reward": reward, "breakdown": episode.ledger.breakdown()},
                       outcome.evaluation)
        return observation

    def _observe(self, outcome: StepOutcome, *, reward: float, previous: str | None) -> ReviewObservation:
        episode = self._episode
        assert episode is not None
        task, spec = episode.task, episode.task.spec
        done_reason = None
        if episode.done:
            done_reason = "verdict" if episode.verdict else "max_steps"
        return ReviewObservation(
            done=episode.done, reward=round(reward, 6),
            task_id=task.public_id, task_difficulty=spec.difficulty, title=spec.title, pr_description=spec.description,
            code_snippet=episode.current[episode.viewing], file_name=episode.viewing,
            files=sorted(episode.current), bug_category=episode.category_guess,
            bug_hint=spec.bugs[0].hint if spec.difficulty == "easy" and spec.bugs else None,
            test_status=episode.test_status, step_number=episode.step_number, max_steps=episode.max_steps,
            previous_action=previous, previous_action_feedback=outcome.feedback, severity=episode.severity_guess,
            multi_bug=spec.difficulty == "hard", bugs_found=len(episode.found),
            bugs_total=len(spec.bugs) if spec.difficulty == "hard" else 1,
            execution=outcome.execution, reward_breakdown=episode.ledger.breakdown(),
            episode_reward=round(episode.ledger.total(), 6), solved=episode.solved, done_reason=done_reason,
            error=outcome.error, reward_mode=self._mode, runner=self.backend.runner.name,
            curriculum_tier=self._state.curriculum_tier, variant_seed=self._state.variant_seed,
            environment_status=self._environment_status,
        )

    def get_metadata(self) -> EnvironmentMetadata:
        return EnvironmentMetadata(
            name="autocoderl", version="0.1.0",
            description="Review a buggy Python mini repo as a pull request: name the bug, fix it (the fix runs "
                        "in a sandbox: pytest+coverage, bandit, ruff, AST checks) and predict its severity.")

    @property
    def state(self) -> ReviewState:
        return self._state

    def close(self) -> None:
        self._episode = None


__all__ = ["AutoCodeEnv", "Backend", "EnvError"]
