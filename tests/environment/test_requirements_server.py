"""The server with outside tasks that declare requirements: a missing environment is built lazily while
steps answer a typed ENVIRONMENT_PREPARING (never a hung step), then the episode runs in it; a set that
cannot be installed answers UNMET_REQUIREMENTS; the session and server keep working throughout."""

from __future__ import annotations

import json
import secrets
import shutil
import time
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from environment.app import create_server
from environment.config import load_settings
from environment.corpus.tasks import load_task
from sandbox.requirements import RequirementSet
from sandbox.venvs import env_root

OUTSIDE = Path(__file__).resolve().parents[1] / "fixtures" / "outside_tasks"
TASK = "sec-jwt-session-verify"


def _copy(src: str, dest: Path, new_id: str, requirements: list[str]) -> None:
    shutil.copytree(OUTSIDE / src, dest / new_id)
    meta = yaml.safe_load((dest / new_id / "task.yaml").read_text())
    meta.update(id=new_id, requirements=requirements)
    (dest / new_id / "task.yaml").write_text(yaml.safe_dump(meta))


@pytest.fixture(scope="module")
def lazy(tmp_path_factory) -> tuple[TestClient, str, dict[str, str]]:
    """A lazy server whose outside tasks need environments nobody built yet (a fresh set per test run), the
    fresh set, and the tasks' public ids."""
    tasks = tmp_path_factory.mktemp("tasks")
    fresh = f"pyjwt>=2.8,<3,!=2.0.{secrets.randbelow(10**6)}"  # a new requirement set: built by this test
    _copy(TASK, tasks, "jwt-lazy", [fresh])
    _copy(TASK, tasks, "jwt-unresolvable", ["autocoderl-no-such-distribution==1.0"])
    app = create_server(load_settings({"AUTOCODERL_RUNNER": "local", "AUTOCODERL_TASKS_DIR": str(tasks),
                                       "AUTOCODERL_PREPARE_ENVIRONMENTS": "lazy"}))
    client = TestClient(app.state.guard)
    yield client, fresh, {t: load_task(tasks / t).public_id for t in ("jwt-lazy", "jwt-unresolvable")}
    for row in client.get("/health").json()["environments"]:
        shutil.rmtree(env_root() / row["key"], ignore_errors=True)


def send(ws, payload: dict) -> dict:
    ws.send_text(json.dumps(payload))
    return json.loads(ws.receive_text())


def solution() -> dict[str, str]:
    return {"sessions/cookies.py": (OUTSIDE / TASK / "solution" / "sessions" / "cookies.py").read_text()}


def test_missing_environment_is_prepared_while_steps_answer_preparing(lazy) -> None:
    client, fresh, _ = lazy
    with client.websocket_connect("/ws") as ws:
        frame = send(ws, {"type": "reset", "data": {"task_id": "jwt-lazy"}})
        observation = frame["data"]["observation"]
        assert observation["environment_status"] == "preparing"
        assert "being prepared" in observation["previous_action_feedback"]
        fix = {"type": "step", "data": {"action_type": "apply_fix", "files": solution()}}
        frame = send(ws, fix)
        assert frame["type"] == "error" and frame["data"]["code"] == "ENVIRONMENT_PREPARING", frame
        assert "being prepared" in frame["data"]["message"] and "not counted" in frame["data"]["message"]
        rows = client.get("/health").json()["environments"]
        assert [r["status"] for r in rows if r["requirements"] == list(RequirementSet.of([fresh]).requirements)] \
            == ["preparing"], rows
        view = send(ws, {"type": "step", "data": {"action_type": "view_file", "file": "sessions/cookies.py"}})
        assert view["type"] == "observation"  # steps that run nothing work meanwhile
        deadline = time.monotonic() + 180
        while frame["type"] == "error" and time.monotonic() < deadline:
            assert frame["data"]["code"] == "ENVIRONMENT_PREPARING", frame
            time.sleep(1)
            frame = send(ws, fix)
        assert frame["type"] == "observation", frame
        observation = frame["data"]["observation"]
        assert observation["step_number"] == 2  # view_file + the fix; the preparing answers were not counted
        assert observation["environment_status"] == "ready"
        execution = observation["execution"]
        assert execution["hidden_passed"] == execution["hidden_total"] > 0
        assert execution["environment"]["kind"] == "venv"
        assert execution["environment"]["packages"]["pyjwt"].startswith("2.")
        assert execution["solved"] is True and execution["fix_score"] == 1.0
        assert frame["data"]["reward"] > 0, (observation["previous_action_feedback"], execution["checks"])
    rows = client.get("/health").json()["environments"]
    assert any(r["status"] == "ready" and r["packages"].get("pyjwt") for r in rows), rows


def test_uninstallable_requirements_are_a_typed_error_and_the_task_is_not_drawn(lazy) -> None:
    client, _, public_ids = lazy
    with client.websocket_connect("/ws") as ws:
        send(ws, {"type": "reset", "data": {"task_id": "jwt-unresolvable"}})
        fix = {"type": "step", "data": {"action_type": "apply_fix", "files": solution()}}
        deadline = time.monotonic() + 120
        frame = send(ws, fix)
        while frame["data"].get("code") == "ENVIRONMENT_PREPARING" and time.monotonic() < deadline:
            time.sleep(0.5)
            frame = send(ws, fix)
        assert frame["type"] == "error" and frame["data"]["code"] == "UNMET_REQUIREMENTS", frame
        assert "autocoderl-no-such-distribution==1.0" in frame["data"]["message"]
        assert "No matching distribution" in frame["data"]["message"]
        frame = send(ws, {"type": "reset", "data": {"task_id": "jwt-unresolvable"}})
        assert frame["type"] == "error" and frame["data"]["code"] == "UNMET_REQUIREMENTS", frame
        drawn = {send(ws, {"type": "reset", "data": {"seed": seed, "task_name": "medium"}})["data"]["observation"]
                 ["task_id"] for seed in range(60)}
    assert len(drawn) > 5 and public_ids["jwt-unresolvable"] not in drawn
    failed = [r for r in client.get("/health").json()["environments"] if r["status"] == "failed"]
    assert failed and "No matching distribution" in failed[0]["error"]
