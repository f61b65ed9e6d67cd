"""Every client mistake gets a typed error frame; the session stays usable; no traceback is logged."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from environment.app import create_server
from environment.config import load_settings


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = create_server(load_settings({"AUTOCODERL_RUNNER": "local", "MAX_CONCURRENT_ENVS": "2",
                                       "AUTOCODERL_MAX_MESSAGE_BYTES": "65536"}))
    return TestClient(app.state.guard)


def send(ws, payload) -> dict:
    ws.send_text(payload if isinstance(payload, str) else json.dumps(payload))
    return json.loads(ws.receive_text())


def assert_usable(ws) -> None:
    frame = send(ws, {"type": "reset", "data": {"task_name": "easy", "seed": 0}})
    assert frame["type"] == "observation"


BAD_FRAMES = [
    ("{not json", "INVALID_JSON"),
    ({"type": "bogus"}, "UNKNOWN_TYPE"),
    ({"type": "step", "data": {"action_type": "launch_missiles"}}, "VALIDATION_ERROR"),
    ({"type": "step", "data": {"action_type": "detect_bug", "bug_category": 7}}, "VALIDATION_ERROR"),
    ({"type": "step", "data": {"action_type": "detect_bug", "bug_category": "logic", "line": "ten"}},
     "VALIDATION_ERROR"),
    ({"type": "step", "data": {"action_type": "detect_bug"}}, "VALIDATION_ERROR"),
    ({"type": "step", "data": {"action_type": "apply_fix", "files": {"a.py": "x"}, "diff": "y"}}, "VALIDATION_ERROR"),
    ({"type": "step", "data": {"action_type": "view_file", "file": "a.py", "extra": 1}}, "VALIDATION_ERROR"),
    ({"type": "step"}, "VALIDATION_ERROR"),
    ({"type": "reset", "data": {"task_name": "impossible"}}, "INVALID_RESET"),
    ({"type": "reset", "data": {"colour": "blue"}}, "INVALID_RESET"),
    ({"type": "reset", "data": {"task_id": "no-such-task"}}, "NO_MATCHING_TASK"),
    ("x" * 70_000, "PAYLOAD_TOO_LARGE"),
]


@pytest.mark.parametrize(("payload", "code"), BAD_FRAMES, ids=[c for _, c in BAD_FRAMES])
def test_bad_frame_gets_typed_error_and_session_survives(client: TestClient, payload, code: str) -> None:
    with client.websocket_connect("/ws") as ws:
        frame = send(ws, payload)
        assert frame["type"] == "error" and frame["data"]["code"] == code, frame
        assert frame["data"]["message"]
        assert_usable(ws)


def test_validation_error_names_the_field(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        assert_usable(ws)
        frame = send(ws, {"type": "step", "data": {"action_type": "detect_bug", "bug_category": "logic",
                                                   "line": "ten"}})
        assert ["line"] in [e["loc"] for e in frame["data"]["errors"]]
        frame = send(ws, {"type": "step", "data": {"action_type": "predict_severity"}})
        assert "severity" in json.dumps(frame["data"]["errors"])


def test_step_before_reset(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        frame = send(ws, {"type": "step", "data": {"action_type": "approve_code"}})
        assert frame["data"]["code"] == "NOT_RESET"
        assert_usable(ws)


def test_steps_after_done(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        assert_usable(ws)
        frame = send(ws, {"type": "step", "data": {"action_type": "request_changes"}})
        assert frame["data"]["done"] is True
        for _ in range(2):
            frame = send(ws, {"type": "step", "data": {"action_type": "request_changes"}})
            assert frame["data"]["code"] == "EPISODE_DONE"
        assert_usable(ws)


def test_binary_frame(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        ws.send_bytes(b"\x00\x01")
        frame = json.loads(ws.receive_text())
        assert frame["data"]["code"] == "BINARY_NOT_SUPPORTED"
        assert_usable(ws)


@pytest.mark.parametrize("action", [{"action_type": "view_file", "file": "../../etc/passwd"},
                                    {"action_type": "apply_fix", "files": {"nope/missing.py": "x = 1\n"}},
                                    {"action_type": "suggest_fix", "files": {"../../etc/passwd": "x"}}])
def test_unknown_file_is_a_typed_error_that_costs_no_step(client: TestClient, action: dict) -> None:
    with client.websocket_connect("/ws") as ws:
        before = send(ws, {"type": "reset", "data": {"seed": 3}})["data"]["observation"]["step_number"]
        frame = send(ws, {"type": "step", "data": action})
        assert frame["type"] == "error" and frame["data"]["code"] == "UNKNOWN_FILE", frame
        assert "root:" not in json.dumps(frame)
        state = send(ws, {"type": "state"})["data"]
        assert state["step_count"] == before == 0
        assert_usable(ws)


def test_capacity_reached_past_the_cap(client: TestClient) -> None:
    with client.websocket_connect("/ws") as a, client.websocket_connect("/ws") as b:
        assert_usable(a)
        assert_usable(b)
        with client.websocket_connect("/ws") as c:
            frame = json.loads(c.receive_text())
            assert frame["data"]["code"] == "CAPACITY_REACHED"


def test_http_oversize_body_and_bad_action(client: TestClient) -> None:
    response = client.post("/step", content=b"{" + b" " * 70_000 + b"}", headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["code"] == "PAYLOAD_TOO_LARGE"
    response = client.post("/step", json={"action": {"action_type": "nope"}})
    assert response.status_code == 422
    response = client.post("/dev/easy/step", json={"action_type": "approve_code"})
    assert response.status_code == 409 and response.json()["code"] == "NOT_RESET"
    assert client.get("/health").json()["status"] == "healthy"


def test_malformed_patch_is_a_typed_observation_error(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        send(ws, {"type": "reset", "data": {"task_name": "medium", "seed": 2}})
        frame = send(ws, {"type": "step", "data": {"action_type": "apply_fix", "diff": "--- a/x.py\n+++ b/x.py\n@@"}})
        assert frame["data"]["observation"]["error"]["code"] == "PATCH_DOES_NOT_APPLY"
