"""Retry policy for outgoing HTTP calls."""

from dataclasses import dataclass

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
TOO_MANY_REQUESTS = 429


@dataclass(frozen=True)
class RetryPolicy:
    """Decides whether a failed request is sent again and how long to wait first.

    Rate-limited responses (429) are always retried: the server did not process the request.
    Server errors (5xx) are retried only for idempotent methods, because a POST or PATCH may
    already have taken effect on the server.
    """

    max_attempts: int = 3
    base_delay: float = 0.5
    max_delay: float = 8.0

    def should_retry(self, method: str, status: int, attempt: int) -> bool:
        """Whether attempt number `attempt` (1-based) that got `status` should be repeated."""
        if attempt >= self.max_attempts:
            return False
        if status == TOO_MANY_REQUESTS:
            return True
        if 500 <= status < 600:
            return method.upper() in IDEMPOTENT_METHODS
        return False

    def delay(self, attempt: int) -> float:
        """Seconds to wait after attempt `attempt`: exponential backoff, capped at max_delay."""
        return min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
