"""What the model reads per episode, before and after lean tool answers.

Plays the `reader` agent (the reference review, steered only by the text it reads: it views files and
runs the visible tests when a step is spare) over the corpus in-process, keeps every observation, and
renders each episode's conversation twice:

- before: every message is the whole review (`observation_text`: task, PR, files, code, last outcome),
  which is what every tool answer used to be;
- after: the first message is the whole review, every answer is `answer_text` (only what the step changed).

Each episode counts its first message plus one answer per action, the last one included (a TRL
completion holds them all). Characters, and tokens of OpenAI's o200k_base encoding counted offline by
`bpe-openai` (`pip install bpe-openai`; tiktoken itself downloads its encodings at first use, which this
machine cannot). The table is per difficulty: the mean per episode, and the largest single answer.

    python benchmarks/bench_tokens.py [--task-ids a,b] [--limit N] [--concurrency 2] [--encoding o200k_base]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from environment.corpus.tasks import Task  # noqa: E402
from environment.evaluation.agents import ReaderAgent  # noqa: E402
from environment.evaluation.llm import answer_text, observation_text  # noqa: E402
from environment.evaluation.rollout import LocalSession, play_episode  # noqa: E402
from environment.models import ReviewAction, ReviewObservation  # noqa: E402


class RecordingSession(LocalSession):
    """A LocalSession that keeps every observation (the reset's first)."""

    def __init__(self, backend: Any) -> None:
        super().__init__(backend)
        self.observations: list[ReviewObservation] = []

    def reset(self, **options: Any) -> ReviewObservation:
        obs = super().reset(**options)
        self.observations = [obs]
        return obs

    def step(self, action: ReviewAction) -> ReviewObservation:
        obs = super().step(action)
        self.observations.append(obs)
        return obs


@dataclass
class Conversation:
    """One episode's environment messages, rendered both ways."""

    task_id: str
    difficulty: str
    reward: float
    solved: bool
    before: list[str] = field(default_factory=list)
    after: list[str] = field(default_factory=list)


def render(observations: list[ReviewObservation]) -> tuple[list[str], list[str]]:
    """(before, after) message texts of one episode."""
    before = [observation_text(o) for o in observations]
    after = [observation_text(observations[0])] + [answer_text(o) for o in observations[1:]]
    return before, after


def play(backend: Any, agent: ReaderAgent, task: Task, seed: int) -> Conversation:
    session = RecordingSession(backend)
    result = play_episode(lambda: session, lambda: agent.new_episode(task, seed), {"task_id": task.id, "seed": seed})
    if result.status != "ok":
        raise RuntimeError(f"{task.id}: {result.status} {result.error}")
    before, after = render(session.observations)
    return Conversation(task.id, task.spec.difficulty, result.reward, result.solved, before, after)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task-ids", help="comma-separated task ids (default: the whole corpus)")
    parser.add_argument("--limit", type=int, help="at most this many tasks")
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--encoding", default="o200k_base", help="bpe-openai encoding (o200k_base, cl100k_base)")
    parser.add_argument("--runner", default="local", choices=["auto", "docker", "local"])
    args = parser.parse_args(argv)
    try:
        import bpe_openai
    except ImportError:
        print("bench_tokens: needs bpe-openai (pip install bpe-openai) to count tokens offline", file=sys.stderr)
        return 2
    encoding = bpe_openai.get_encoding(args.encoding)

    from environment.env import Backend, in_process_settings

    backend = Backend.create(in_process_settings(AUTOCODERL_RUNNER=args.runner))
    tasks = sorted(backend.tasks.tasks.values(), key=lambda t: t.id)
    if args.task_ids:
        wanted = set(args.task_ids.split(","))
        tasks = [t for t in tasks if t.id in wanted]
    tasks = tasks[: args.limit] if args.limit else tasks
    agent = ReaderAgent()
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.concurrency)) as pool:
        episodes = list(pool.map(lambda t: play(backend, agent, t, 0), tasks))
    elapsed = time.monotonic() - started

    def tokens(texts: list[str]) -> int:
        return sum(len(encoding.encode(t)) for t in texts)

    print(f"{len(episodes)} episodes of the reader agent in {elapsed:.0f} s; tokens: {args.encoding} (bpe-openai)")
    print(f"solved {sum(e.solved for e in episodes)}/{len(episodes)}, mean reward "
          f"{statistics.mean(e.reward for e in episodes):.3f}\n")
    header = (f"{'difficulty':10} {'episodes':>8} {'steps':>5} {'chars before':>12} {'chars after':>11} "
              f"{'tokens before':>13} {'tokens after':>12} {'saved':>6} {'max answer before/after (chars)':>32}")
    print(header)
    for difficulty in ("easy", "medium", "hard", "all"):
        group = [e for e in episodes if difficulty in ("all", e.difficulty)]
        if not group:
            continue
        cb = statistics.mean(sum(map(len, e.before)) for e in group)
        ca = statistics.mean(sum(map(len, e.after)) for e in group)
        tb = statistics.mean(tokens(e.before) for e in group)
        ta = statistics.mean(tokens(e.after) for e in group)
        steps = statistics.mean(len(e.after) - 1 for e in group)
        max_before = max(len(m) for e in group for m in e.before[1:])
        max_after = max(len(m) for e in group for m in e.after[1:])
        print(f"{difficulty:10} {len(group):8} {steps:5.1f} {cb:12,.0f} {ca:11,.0f} {tb:13,.0f} {ta:12,.0f} "
              f"{1 - ta / tb:6.0%} {f'{max_before:,} / {max_after:,}':>32}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
