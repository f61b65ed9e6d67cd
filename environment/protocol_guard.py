"""ASGI middleware closing OpenEnv framework gaps without forking it:

- WebSocket frames over the size cap, or binary frames, get a typed error frame and are dropped;
  the session keeps working (the framework would otherwise process or crash on them).
- Our typed errors (EnvError, raised in reset/step) reach clients as EXECUTION_ERROR frames whose
  message starts with the code; the code is lifted into `data.code` so clients can branch on it.
- Error frames never echo more than an excerpt of the client's input (environment/errors.py), and a
  validation error's message names the fields.
- HTTP bodies over the cap get a 413 with a typed JSON body before anything parses them.
- Error frames are logged (client mistakes at info, server-side failures at warning); at debug every
  WebSocket message is logged with its answer and latency.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from typing import Any

from environment.errors import clean_errors, clip, excerpt, message_limit, summarize

Scope = dict[str, Any]
Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Send], Awaitable[None]]

TYPED_CODES = {"NOT_RESET", "EPISODE_DONE", "STEP_TIMEOUT", "UNSCORABLE", "INVALID_RESET", "NO_MATCHING_TASK",
               "ENVIRONMENT_PREPARING", "UNMET_REQUIREMENTS", "UNKNOWN_FILE"}
SERVER_FAULTS = {"EXECUTION_ERROR", "SESSION_ERROR", "FACTORY_ERROR", "UNSCORABLE", "STEP_TIMEOUT"}
"""Error codes that say the server (not the client) failed: logged at warning."""
log = logging.getLogger("autocoderl.ws")
_TYPE = re.compile(r'"type"\s*:\s*"(\w{1,20})"')


def error_frame(code: str, message: str) -> str:
    return json.dumps({"type": "error", "data": {"message": message, "code": code}})


def clip_rpc_error(answer: Any) -> bool:
    """Cut the message (and data) of a JSON-RPC error answer (`/mcp`, which echoes an unknown method or a bad
    request whole) to an excerpt, in place; True when `answer` is such an error."""
    error = answer.get("error") if isinstance(answer, dict) else None
    if not isinstance(error, dict):
        return False
    error["message"] = clip(str(error.get("message", "")))
    if error.get("data") is not None:
        error["data"] = excerpt(error["data"])
    return True


def rewrite_error(text: str) -> tuple[str, str | None]:
    """(frame to send, its error code or None): an error frame gets its typed code lifted out of
    {"code":"EXECUTION_ERROR","message":"CODE: ..."}, its validation errors cut to excerpts and its message
    cut to length; an MCP answer its JSON-RPC error cut to an excerpt; any other frame is returned as it is."""
    if text.startswith('{"type":"mcp"') and '"error":{' in text:
        frame = json.loads(text)
        return (json.dumps(frame), "MCP_ERROR") if clip_rpc_error(frame.get("data")) else (text, None)
    if not text.startswith('{"type":"error"'):
        return text, None
    try:
        frame = json.loads(text)
    except ValueError:
        return text, None
    data = frame.get("data")
    if not isinstance(data, dict):
        return text, None
    message = str(data.get("message", ""))
    code, _, rest = message.partition(": ")
    if data.get("code") == "EXECUTION_ERROR" and code in TYPED_CODES:
        data["code"], message = code, rest
    if isinstance(data.get("errors"), list):
        data["errors"] = clean_errors(e for e in data["errors"] if isinstance(e, dict))
        message = summarize(data["errors"], lead=message or "invalid message")
    code = str(data.get("code"))
    data["message"] = clip(message, message_limit(code))
    if code in SERVER_FAULTS:
        log.warning("ws error %s: %s", code, message)
    else:
        log.info("ws error %s: %s", code, data["message"])
    return json.dumps(frame), code


class ProtocolGuard:
    def __init__(self, app: ASGIApp, max_bytes: int = 1 << 20) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive, send) -> None:
        if scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _websocket(self, scope: Scope, receive, send) -> None:
        cap = self.max_bytes
        host, port = scope.get("client") or ("-", "-")
        client = f"{host}:{port}"
        pending: list[tuple[str, float]] = []  # (message type, arrival) of the messages being answered

        async def refuse(code: str, message: str) -> None:
            log.info("ws error %s: %s", code, message)
            await send({"type": "websocket.send", "text": error_frame(code, message)})

        async def guarded_receive() -> Message:
            while True:
                message = await receive()
                if message["type"] != "websocket.receive":
                    return message
                text, data = message.get("text"), message.get("bytes")
                if text is None:
                    await refuse("BINARY_NOT_SUPPORTED", "binary frames are not supported; send JSON text frames")
                    continue
                if len(text.encode("utf-8", "surrogatepass")) > cap:
                    await refuse("PAYLOAD_TOO_LARGE", f"frame of {len(text)} characters exceeds the {cap}-byte cap")
                    continue
                del data
                if log.isEnabledFor(logging.DEBUG):
                    found = _TYPE.search(text[:200])
                    if not found or found.group(1) != "close":  # every other message gets one answer
                        pending.append((found.group(1) if found else "?", time.monotonic()))
                return message

        async def guarded_send(message: Message) -> None:
            if message["type"] == "websocket.send" and message.get("text"):
                text, code = rewrite_error(message["text"])
                message = {**message, "text": text}
                if pending:
                    kind, arrived = pending.pop(0)
                    answer = f"error {code}" if code else text[9:text.find('"', 9)]
                    log.debug("ws %s %s -> %s (%.0f ms)", client, kind, answer, (time.monotonic() - arrived) * 1000)
            await send(message)

        await self.app(scope, guarded_receive, guarded_send)

    async def _http(self, scope: Scope, receive, send) -> None:
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await _reject(send, self.max_bytes)
            return
        seen = 0
        cap = self.max_bytes

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > cap:
                raise ValueError("request body exceeds the size cap")
            return message

        try:
            await self.app(scope, counted_receive, _clipped_rpc_errors(send) if scope.get("path") == "/mcp" else send)
        except ValueError as exc:
            if "size cap" not in str(exc):
                raise
            await _reject(send, cap)


def _clipped_rpc_errors(send: Send) -> Send:
    """`send` for /mcp answers: the (small, JSON) body is held until complete and its JSON-RPC error cut to an
    excerpt (the framework echoes an unknown method or a bad request whole)."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def clipped_send(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if clip_rpc_error(answer):
            body = json.dumps(answer).encode()
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return clipped_send


async def _reject(send, cap: int) -> None:
    body = json.dumps({"detail": f"request body exceeds the {cap}-byte cap", "code": "PAYLOAD_TOO_LARGE"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
