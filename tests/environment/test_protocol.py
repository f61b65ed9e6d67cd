"""OpenEnv compatibility on the wire: official clients, raw websockets, /schema, openenv validate."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess

import httpx
import pytest
import websockets
from openenv.core.generic_client import GenericEnvClient

from environment.client import AutoCodeEnvClient
from environment.models import ReviewAction


def ws_url(server_url: str) -> str:
    return server_url.replace("http://", "ws://") + "/ws"


def test_official_typed_client_async_round_trip(server_url: str) -> None:
    async def run() -> None:
        async with AutoCodeEnvClient(base_url=server_url) as env:
            result = await env.reset(task_name="medium", seed=3, episode_id="ep-typed")
            assert result.observation.task_difficulty == "medium"
            assert result.observation.code_snippet
            target = next(f for f in result.observation.files if f.startswith("tests/test_"))
            step = await env.step(ReviewAction(action_type="view_file", file=target))
            assert step.observation.step_number == 1
            assert step.observation.file_name == target and "def test" in step.observation.code_snippet
            state = await env.state()
            assert state.episode_id == "ep-typed" and state.step_count == 1

    asyncio.run(run())


def test_official_generic_client_sync_round_trip(server_url: str) -> None:
    with GenericEnvClient(base_url=server_url).sync() as env:
        result = env.reset(task_name="easy", seed=5, episode_id="ep-generic")
        observation = result.observation
        assert observation["max_steps"] == 3 and result.done is False
        step = env.step({"action_type": "predict_severity", "severity": "high"})
        assert step.observation["step_number"] == 1
        assert isinstance(step.reward, float)
        state = env.state()
        assert state["episode_id"] == "ep-generic" and state["step_count"] == 1


def test_raw_websocket_round_trip(server_url: str) -> None:
    async def run() -> None:
        async with websockets.connect(ws_url(server_url)) as ws:
            await ws.send(json.dumps({"type": "reset", "data": {"task_name": "hard", "seed": 1, "episode_id": "e"}}))
            frame = json.loads(await ws.recv())
            assert frame["type"] == "observation" and frame["data"]["done"] is False
            assert frame["data"]["observation"]["multi_bug"] is True
            await ws.send(json.dumps({"type": "step", "data": {"action_type": "view_file",
                                                               "file": frame["data"]["observation"]["files"][0]}}))
            step = json.loads(await ws.recv())
            assert step["type"] == "observation" and step["data"]["reward"] is not None
            await ws.send(json.dumps({"type": "state"}))
            state = json.loads(await ws.recv())
            assert state == {"type": "state", "data": state["data"]} and state["data"]["step_count"] == 1
            await ws.send(json.dumps({"type": "close"}))
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)

    asyncio.run(run())


def test_schema_publishes_action_observation_state(server_url: str) -> None:
    schema = httpx.get(f"{server_url}/schema").json()
    assert "action_type" in schema["action"]["properties"]
    assert {"execution", "reward_breakdown", "solved", "bugs_total"} <= set(schema["observation"]["properties"])
    assert "episode_id" in schema["state"]["properties"]


def test_health_reports_runner_and_sessions(server_url: str) -> None:
    health = httpx.get(f"{server_url}/health").json()
    assert health["status"] == "healthy"
    assert health["runner"] == "local" and health["isolation"] in ("bwrap", "landlock", "rlimits")
    assert health["max_sessions"] == 128


def test_openenv_validate_url_passes(server_url: str) -> None:
    assert shutil.which("openenv"), "the openenv CLI (installed with the package) is not on PATH"
    proc = subprocess.run(["openenv", "validate", "--url", server_url], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "FAIL" not in proc.stdout


def test_openenv_validate_static_manifest() -> None:
    proc = subprocess.run(["openenv", "validate", ".", "--level", "static", "--skip-build"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_sixty_four_concurrent_sessions(server_url: str) -> None:
    async def session(i: int) -> tuple[str, int]:
        async with websockets.connect(ws_url(server_url)) as ws:
            await ws.send(json.dumps({"type": "reset", "data": {"seed": i, "episode_id": f"c{i}"}}))
            obs = json.loads(await ws.recv())["data"]["observation"]
            await ws.send(json.dumps({"type": "step", "data": {"action_type": "view_file", "file": obs["files"][0]}}))
            step = json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "state"}))
            state = json.loads(await ws.recv())["data"]
            return state["episode_id"], step["data"]["observation"]["step_number"]

    async def run() -> list[tuple[str, int]]:
        return await asyncio.gather(*(session(i) for i in range(64)))

    results = asyncio.run(run())
    assert sorted(r[0] for r in results) == sorted(f"c{i}" for i in range(64))
    assert all(r[1] == 1 for r in results)
