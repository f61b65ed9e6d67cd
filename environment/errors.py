"""Typed error bodies, one shape on every route, that never echo more than a short excerpt of the input.

`/ws` error frames carry `{"code", "message", "errors"?}` in `data`; HTTP and `/dev` error responses carry
`{"code", "detail", "errors"?}`. `errors` (validation problems) are `{"loc", "msg", "type", "input"?, "ctx"?}`
where `input` is what the client sent, cut to EXCERPT_CHARS (a refused 160 KB file must not come back as
a 160 KB answer); in messages, any run of more than EXCERPT_CHARS non-blank characters is cut the same way,
and a message is cut to MESSAGE_CHARS (DIAGNOSIS_CHARS for the server's own diagnoses, e.g. pip's reason).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

EXCERPT_CHARS = 80
"""The most of a client's input any error repeats."""
MESSAGE_CHARS = 300
"""The longest error message about a client's mistake (longer ones keep their head and tail)."""
DIAGNOSIS_CHARS = 2000
"""The longest message of an error that carries the server's own diagnosis (pip's or the sandbox's reason)."""
DIAGNOSES = frozenset({"UNMET_REQUIREMENTS", "ENVIRONMENT_PREPARING", "UNSCORABLE", "STEP_TIMEOUT", "EXECUTION_ERROR",
                       "SESSION_ERROR", "FACTORY_ERROR"})
"""Codes whose message is the server's diagnosis, not an answer to a client's input."""
_LONG_WORD = re.compile(rf"\S{{{EXCERPT_CHARS + 1},}}")
VALIDATION_ERROR = "VALIDATION_ERROR"
HTTP_CODES = {400: "BAD_REQUEST", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 409: "CONFLICT",
              413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE", 422: VALIDATION_ERROR,
              500: "INTERNAL_ERROR", 503: "UNAVAILABLE"}
"""Codes of HTTP errors that carry no typed code of their own (FastAPI's 404/405, ...)."""


def excerpt(value: Any, limit: int = EXCERPT_CHARS) -> Any:
    """`value` itself when its JSON form is short, else the first `limit` characters of it (a string) saying
    how long it was."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        text = value
    else:
        try:
            text = json.dumps(value, default=str, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
        if len(text) <= limit:
            return value
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"


def clip(message: str, limit: int = MESSAGE_CHARS) -> str:
    """`message` with every run of more than EXCERPT_CHARS non-blank characters (an echoed name, type or path)
    cut to an excerpt, then cut to `limit` characters keeping its head and tail (where the reason usually is)."""
    if _LONG_WORD.search(message):
        message = _LONG_WORD.sub(lambda m: excerpt(m.group()), message)
    if len(message) <= limit:
        return message
    half = (limit - 20) // 2
    return f"{message[:half]} … {message[-half:]}"


def message_limit(code: str | None) -> int:
    """How long the message of an error with `code` may be."""
    return DIAGNOSIS_CHARS if code in DIAGNOSES else MESSAGE_CHARS


def clean_errors(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic-style errors as sent to clients: loc, msg, type, an excerpt of the input, ctx (excerpted)."""
    cleaned = []
    for error in errors:
        item: dict[str, Any] = {"loc": [excerpt(p, 40) for p in error.get("loc") or ()],
                                "msg": clip(str(error.get("msg", ""))), "type": str(error.get("type", ""))}
        if "input" in error:
            item["input"] = excerpt(error["input"])
        if isinstance(error.get("ctx"), Mapping):
            item["ctx"] = {str(k): excerpt(v) for k, v in error["ctx"].items()}
        cleaned.append(item)
    return cleaned


def summarize(errors: list[dict[str, Any]], lead: str = "invalid request") -> str:
    """One line naming each field and what is wrong with it: 'invalid action: line: Input should be ...'."""
    parts = [f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in errors[:3]]
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return clip(f"{lead}: {'; '.join(parts)}{more}" if parts else lead)


def http_error(code: str, detail: str) -> dict[str, Any]:
    """The body of an HTTP (or /dev) error response."""
    return {"code": code, "detail": clip(detail, message_limit(code))}


def http_validation_error(errors: Iterable[Mapping[str, Any]], lead: str = "invalid request") -> dict[str, Any]:
    """The body of an HTTP 422: the same code and errors a `/ws` VALIDATION_ERROR frame carries."""
    cleaned = clean_errors(errors)
    return {"code": VALIDATION_ERROR, "detail": summarize(cleaned, lead), "errors": cleaned}
