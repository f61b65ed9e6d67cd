"""ASGI middleware closing OpenEnv framework gaps without forking it:

- WebSocket frames over the size cap, or binary frames, get a typed error frame and are dropped;
  the session keeps working (the framework would otherwise process or crash on them).
- Our typed errors (EnvError, raised in reset/step) reach clients as EXECUTION_ERROR frames whose
  message starts with the code; the code is lifted into `data.code` so clients can branch on it.
- HTTP bodies over the cap get a 413 with a typed JSON body before anything parses them.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]

TYPED_CODES = {"NOT_RESET", "EPISODE_DONE", "STEP_TIMEOUT", "UNSCORABLE", "INVALID_RESET", "NO_MATCHING_TASK",
               "ENVIRONMENT_PREPARING", "UNMET_REQUIREMENTS", "UNKNOWN_FILE"}


def error_frame(code: str, message: str) -> str:
    return json.dumps({"type": "error", "data": {"message": message, "code": code}})


def lift_code(text: str) -> str:
    """Rewrite {"code":"EXECUTION_ERROR","message":"CODE: ..."} into {"code":"CODE", ...}."""
    if not text.startswith('{"type":"error"'):
        return text
    try:
        frame = json.loads(text)
    except ValueError:
        return text
    data = frame.get("data") or {}
    code, _, rest = str(data.get("message", "")).partition(": ")
    if data.get("code") == "EXECUTION_ERROR" and code in TYPED_CODES:
        data["code"], data["message"] = code, rest
        return json.dumps(frame)
    return text


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

        async def guarded_receive() -> Message:
            while True:
                message = await receive()
                if message["type"] != "websocket.receive":
                    return message
                text, data = message.get("text"), message.get("bytes")
                if text is None:
                    await send({"type": "websocket.send", "text": error_frame(
                        "BINARY_NOT_SUPPORTED", "binary frames are not supported; send JSON text frames")})
                    continue
                if len(text.encode("utf-8", "surrogatepass")) > cap:
                    await send({"type": "websocket.send", "text": error_frame(
                        "PAYLOAD_TOO_LARGE", f"frame of {len(text)} characters exceeds the {cap}-byte cap")})
                    continue
                del data
                return message

        async def guarded_send(message: Message) -> None:
            if message["type"] == "websocket.send" and message.get("text"):
                message = {**message, "text": lift_code(message["text"])}
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
            await self.app(scope, counted_receive, send)
        except ValueError as exc:
            if "size cap" not in str(exc):
                raise
            await _reject(send, cap)


async def _reject(send, cap: int) -> None:
    body = json.dumps({"detail": f"request body exceeds the {cap}-byte cap", "code": "PAYLOAD_TOO_LARGE"}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
