"""Baseline agent: an OpenAI-compatible chat model reviews one AutoCodeRL episode per task over the
WebSocket API and prints the seed's line format on stdout (diagnostics go to stderr):

    [START] task=<task> env=autocoderl model=<model>
    [STEP] step=<n> action=<action_type> reward=<r:.2f> done=<true|false> error=<msg|null>
    [END] success=<true|false> steps=<n> score=<score:.2f> rewards=<r1,r2,...>

Environment: API_BASE_URL (default https://router.huggingface.co/v1), MODEL_NAME, HF_TOKEN or
OPENAI_API_KEY, ENV_URL (default http://127.0.0.1:8000), TASKS (default "easy,medium,hard"; a task
id instead of a difficulty is allowed), SEED (default 0), LLM_TIMEOUT (s per call, default 60),
LLM_MAX_RETRIES (rate limits / transient errors, default 4), FORMAT_RETRIES (corrective retries for
malformed output, default 2), TEMPERATURE, MAX_TOKENS.

Exit status 1 when no episode could run (server down, model endpoint unreachable, every episode
failed); an endpoint that cannot be reached stops the run at once and is named on stderr.

The agent logic is environment/evaluation/llm.py, shared with `autocoderl eval --agent openai`: the model
reads the whole task once, then after each action a lean answer with only what the action changed.
"""

from __future__ import annotations

import os
import sys

from environment.evaluation.llm import OpenAIAgent
from environment.evaluation.rollout import EpisodeResult, RemoteSession, StepLog, play_episode

BENCHMARK = "autocoderl"
DIFFICULTIES = ("easy", "medium", "hard")


def unreachable(result: EpisodeResult) -> bool:
    """The server or the model endpoint is not there: the remaining tasks would fail the same way."""
    code = result.error["code"] if result.error else ""
    return code == "LLM_UNREACHABLE" or (result.status == "env_error" and "CONNECTION" in code)


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _num(value: float) -> str:
    return f"{round(value, 2) + 0.0:.2f}"  # + 0.0 turns -0.0 into 0.0


def step_line(log: StepLog) -> str:
    error = _one_line(log.error) if log.error else "null"
    return (f"[STEP] step={log.step} action={log.action.get('action_type', '?')} reward={_num(log.reward)} "
            f"done={_bool(log.done)} error={error}")


def end_line(result: EpisodeResult) -> str:
    score = min(1.0, max(0.0, result.reward))
    success = result.solved and result.status == "ok"
    rewards = ",".join(_num(r) for r in result.rewards)
    return f"[END] success={_bool(success)} steps={len(result.steps)} score={_num(score)} rewards={rewards}"


def run_task(agent: OpenAIAgent, env_url: str, task: str, seed: int | None) -> EpisodeResult:
    """One episode on the server; prints [START], one [STEP] per step and [END]. Never raises."""
    print(f"[START] task={task} env={BENCHMARK} model={agent.model}", flush=True)
    options = {"task_name": task} if task in DIFFICULTIES else {"task_id": task}
    if seed is not None:
        options["seed"] = seed
    try:
        result = play_episode(lambda: RemoteSession(env_url), lambda: agent.new_episode(None, seed), options,
                              on_step=lambda log: print(step_line(log), flush=True))
    except Exception as exc:  # play_episode does not raise; this is the last line of defence
        result = EpisodeResult(status="agent_error", error={"code": "INTERNAL", "message": repr(exc)})
    if result.error:
        print(f"[{task}] {result.status}: {result.error['code']}: {result.error['message']}", file=sys.stderr,
              flush=True)
    print(end_line(result), flush=True)
    return result


def main() -> int:
    env = os.environ
    if not (env.get("HF_TOKEN") or env.get("OPENAI_API_KEY") or env.get("API_KEY")):
        print("warning: neither HF_TOKEN nor OPENAI_API_KEY is set; calling the endpoint without a key",
              file=sys.stderr)
    agent = OpenAIAgent.from_env()
    env_url = env.get("ENV_URL") or "http://127.0.0.1:8000"
    tasks = [t.strip() for t in (env.get("TASKS") or "easy,medium,hard").split(",") if t.strip()]
    seed_text = env.get("SEED", "0").strip()
    seed = int(seed_text) if seed_text else None
    ran = 0
    for task in tasks:
        result = run_task(agent, env_url, task, seed)
        ran += result.status == "ok"
        if unreachable(result):
            print(f"stopping: {result.error['message']}", file=sys.stderr, flush=True)
            break
    if not ran:
        print(f"no episode could run (environment {env_url}, model endpoint {agent.base_url})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
