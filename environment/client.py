"""Typed OpenEnv client for AutoCodeRL (imports only the wire models)."""

from __future__ import annotations

from typing import Any

import environment.openenv_compat  # noqa: F401 - before openenv: skips its Gradio UI

# isort: split
from openenv.core.client_types import StepResult
from openenv.core.env_client import EnvClient

from environment.models import ReviewAction, ReviewObservation, ReviewState


class AutoCodeEnvClient(EnvClient[ReviewAction, ReviewObservation, ReviewState]):
    """`async with AutoCodeEnvClient(base_url=...) as env: await env.reset(task_name="hard")`;
    `.sync()` gives the blocking variant."""

    def _step_payload(self, action: ReviewAction | dict[str, Any]) -> dict[str, Any]:
        if isinstance(action, dict):
            action = ReviewAction.model_validate(action)
        return action.model_dump(exclude_none=True, exclude={"metadata"})

    def _parse_result(self, payload: dict[str, Any]) -> StepResult[ReviewObservation]:
        observation = ReviewObservation.model_validate(
            {**payload.get("observation", {}), "reward": payload.get("reward"), "done": payload.get("done", False)})
        return StepResult(observation=observation, reward=payload.get("reward"), done=payload.get("done", False))

    def _parse_state(self, payload: dict[str, Any]) -> ReviewState:
        return ReviewState.model_validate(payload)
