"""Range checks for sensor readings, built from the limits in the device profile."""

from collections.abc import Callable, Mapping

Reading = Mapping[str, float]
Check = Callable[[Reading], bool]


def range_checks(limits: Mapping[str, tuple[float, float]]) -> dict[str, Check]:
    """One check per field: true when the reading's value lies within ``[low, high]``."""
    checks: dict[str, Check] = {}
    for field, (low, high) in limits.items():
        if low > high:
            raise ValueError(f"invalid limits for {field}: {low} > {high}")
        checks[field] = lambda reading: low <= reading[field] <= high
    return checks


def violations(reading: Reading, checks: Mapping[str, Check]) -> list[str]:
    """Fields whose check fails or whose value is missing, in check order."""
    failed = []
    for field, check in checks.items():
        if field not in reading or not check(reading):
            failed.append(field)
    return failed
