import math

from monitoring.ranks import running_percentile_ranks


class Latency(float):
    """A latency value that counts ordering comparisons."""

    comparisons = 0

    def __lt__(self, other):
        Latency.comparisons += 1
        return float.__lt__(self, other)

    def __le__(self, other):
        Latency.comparisons += 1
        return float.__le__(self, other)

    def __gt__(self, other):
        Latency.comparisons += 1
        return float.__gt__(self, other)

    def __ge__(self, other):
        Latency.comparisons += 1
        return float.__ge__(self, other)


def sample_stream(n):
    # deterministic, well-mixed sequence of latencies in milliseconds
    return [Latency((i * 7919) % 1009 + 0.5) for i in range(n)]


def test_comparisons_are_n_log_n():
    n = 400
    stream = sample_stream(n)
    Latency.comparisons = 0
    ranks = running_percentile_ranks(stream)
    assert len(ranks) == n
    assert Latency.comparisons <= 4 * n * math.log2(n)


def test_results_match_definition():
    stream = sample_stream(150)
    ranks = running_percentile_ranks(stream)
    for i in (0, 1, 17, 80, 149):
        window = stream[: i + 1]
        expected = round(100 * sum(1 for x in window if x <= stream[i]) / len(window), 1)
        assert ranks[i] == expected
