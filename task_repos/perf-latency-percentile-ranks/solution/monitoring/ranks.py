"""Running percentile ranks of request latencies for the live monitoring view."""

import bisect
from collections.abc import Iterable


def running_percentile_ranks(latencies: Iterable[float]) -> list[float]:
    """For each latency, the share (in %) of all latencies seen so far that are <= it.

    The value for the n-th sample considers samples 1..n, so operators can see whether a slow
    request was unusual at the time it happened. Rounded to one decimal place.
    """
    seen: list[float] = []
    ranks: list[float] = []
    for latency in latencies:
        bisect.insort(seen, latency)
        at_or_below = bisect.bisect_right(seen, latency)
        ranks.append(round(100 * at_or_below / len(seen), 1))
    return ranks


def slow_requests(latencies: Iterable[float], threshold: float = 95.0) -> list[int]:
    """Indexes of requests whose running percentile rank is at least `threshold`.

    The first few requests are ignored because every early sample ranks high.
    """
    warmup = 20
    return [
        index
        for index, rank in enumerate(running_percentile_ranks(latencies))
        if index >= warmup and rank >= threshold
    ]
