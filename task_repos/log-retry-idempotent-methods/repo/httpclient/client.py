"""Request runner that applies a RetryPolicy."""

from collections.abc import Callable
from dataclasses import dataclass

from httpclient.retry import RetryPolicy


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""


def send_with_retry(
    send: Callable[[], Response],
    method: str,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
) -> Response:
    """Call `send` until the policy stops retrying; return the last response."""
    attempt = 1
    response = send()
    while policy.should_retry(method, response.status, attempt):
        sleep(policy.delay(attempt))
        attempt += 1
        response = send()
    return response
