from monitoring.ranks import running_percentile_ranks, slow_requests


def test_first_sample_is_100_percent():
    assert running_percentile_ranks([42.0]) == [100.0]


def test_ranks_against_earlier_samples():
    assert running_percentile_ranks([10.0, 20.0, 15.0, 5.0]) == [100.0, 100.0, 66.7, 25.0]


def test_equal_latencies_count_as_at_or_below():
    assert running_percentile_ranks([7.0, 7.0, 7.0]) == [100.0, 100.0, 100.0]


def test_empty_input():
    assert running_percentile_ranks([]) == []


def test_generator_input():
    assert running_percentile_ranks(x for x in [3.0, 1.0]) == [100.0, 50.0]


def test_slow_requests_skip_warmup():
    latencies = [20.0, 20.0, 20.0] + [10.0 + n % 5 for n in range(37)]
    latencies[30] = 500.0
    assert slow_requests(latencies) == [30]
