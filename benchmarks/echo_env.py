"""A bare OpenEnv environment to compare our server against: the framework's own classes and app
factory, nothing else. A step echoes its message; `sleep_s` makes it block that long (time.sleep in the
sync step, i.e. in the session's own thread, like a sandbox wait); `pad` adds that many characters of
Python source (this file, repeated: it compresses like the code our observations carry) to the reply.

    ECHO_MAX_SESSIONS=256 python -m uvicorn echo_env:app --app-dir benchmarks --port 8001
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from typing import Any

from openenv.core.env_server.http_server import create_app
from openenv.core.env_server.interfaces import Environment
from openenv.core.env_server.types import Action, ConcurrencyConfig, Observation, State
from pydantic import Field

SOURCE = Path(__file__).read_text()


def padding(size: int) -> str:
    return (SOURCE * (size // len(SOURCE) + 1))[:size]


class EchoAction(Action):
    message: str = Field(min_length=1)
    sleep_s: float = Field(default=0.0, ge=0.0, le=120.0)
    pad: int = Field(default=0, ge=0, le=1 << 20)


class EchoObservation(Observation):
    echoed: str = ""
    padding: str = ""


class EchoEnvironment(Environment[EchoAction, EchoObservation, State]):
    SUPPORTS_CONCURRENT_SESSIONS = True

    def __init__(self) -> None:
        super().__init__()
        self._state = State(episode_id=str(uuid.uuid4()), step_count=0)

    def reset(self, seed: int | None = None, episode_id: str | None = None, **kwargs: Any) -> EchoObservation:
        self._state = State(episode_id=episode_id or str(uuid.uuid4()), step_count=0)
        return EchoObservation(echoed="ready", reward=0.0)

    def step(self, action: EchoAction, timeout_s: float | None = None, **kwargs: Any) -> EchoObservation:
        if action.sleep_s:
            time.sleep(action.sleep_s)
        self._state.step_count += 1
        return EchoObservation(echoed=action.message, padding=padding(action.pad), reward=0.5)

    @property
    def state(self) -> State:
        return self._state


app = create_app(EchoEnvironment, EchoAction, EchoObservation, env_name="echo",
                 concurrency_config=ConcurrencyConfig(max_concurrent_envs=int(os.environ.get("ECHO_MAX_SESSIONS", 256)),
                                                      session_timeout=3600.0))
