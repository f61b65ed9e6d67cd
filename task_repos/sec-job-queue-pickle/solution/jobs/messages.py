"""Wire format for background job messages.

Web workers push jobs onto a shared queue; consumers on other hosts pop and decode them. A
message is ASCII text (base64) so it survives every broker we use.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field, replace
from typing import Any


class MessageError(ValueError):
    """Raised when a queue message cannot be decoded into a job."""


@dataclass(frozen=True)
class Job:
    """A unit of background work."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)
    attempts: int = 0


def encode_job(job: Job) -> str:
    """Serialise ``job`` for the queue."""
    payload = {"name": job.name, "args": job.args, "attempts": job.attempts}
    return base64.b64encode(json.dumps(payload).encode("utf-8")).decode("ascii")


def decode_job(message: str | bytes) -> Job:
    """Turn a queue message back into a :class:`Job`."""
    try:
        payload = json.loads(base64.b64decode(message, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise MessageError("undecodable job message") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("name"), str):
        raise MessageError("job message has no name")
    args = payload.get("args", {})
    if not isinstance(args, dict):
        raise MessageError("job arguments must be a mapping")
    return Job(name=payload["name"], args=args, attempts=int(payload.get("attempts", 0)))


def next_attempt(job: Job, max_attempts: int = 5) -> Job | None:
    """Return the job to re-queue after a failure, or ``None`` once it has used all attempts."""
    if job.attempts + 1 >= max_attempts:
        return None
    return replace(job, attempts=job.attempts + 1)
