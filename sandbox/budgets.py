"""Time budgets: per test (the harness fails a test past its budget with the outcome `timeout` and goes on)
and per run (the host's last resort, killing everything). A test's budget is CPU time, which machine load
barely changes; a wall-clock guard of WALL_FACTOR times as much catches tests that wait.

A test's budget comes from its duration in the task's recorded reference run, with a wide margin, so a
loaded machine does not flip a verdict; a test without a recorded duration (a baseline run, a canary)
gets the default. The run's wall clock leaves room for every test to use its whole budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

DEFAULT_TEST_S = 5.0
"""Budget of a test with no reference timing: reference suites run in well under a second."""
REFERENCE_TEST_S = 30.0
"""Budget of each test in the reference fix's own run (which sets everyone else's budgets): only a reference
that really hangs hits it, however loaded the machine."""
MIN_TEST_S = 3.0
MAX_TEST_S = 30.0
TEST_FACTOR = 10.0
WALL_FACTOR = 4.0
"""A test's budget is CPU time; its wall-clock guard (for tests that wait rather than compute) is this many
times as long, plus 2 s."""
RUN_OVERHEAD_S = 30.0
"""Interpreter, tool start-up and collection on a loaded machine, on top of the tests' budgets."""
MAX_RUN_S = 900.0


def test_budget(reference_s: float | None) -> float:
    """Seconds a test may take, from its duration in the reference run (None: no reference)."""
    if reference_s is None:
        return DEFAULT_TEST_S
    return round(min(MAX_TEST_S, max(MIN_TEST_S, TEST_FACTOR * reference_s + 1.0)), 2)


def test_budgets(durations: Mapping[str, float]) -> dict[str, float]:
    return {test: test_budget(seconds) for test, seconds in durations.items()}


def run_wall(budgets: Iterable[float], unknown_tests: int = 0, default: float = DEFAULT_TEST_S) -> float:
    """The run's wall-clock limit: every known test at its budget, unknown ones at `default`, plus overhead."""
    walls = [WALL_FACTOR * b + 2.0 for b in budgets] + [WALL_FACTOR * default + 2.0] * unknown_tests
    return min(MAX_RUN_S, RUN_OVERHEAD_S + sum(walls))
