from validation.profile import DEFAULT_LIMITS
from validation.rules import range_checks, violations


def test_each_field_uses_its_own_limits():
    checks = range_checks(DEFAULT_LIMITS)
    assert checks["temperature"]({"temperature": -5.0, "humidity": 50.0})
    assert checks["humidity"]({"temperature": 200.0, "humidity": 50.0})
    assert not checks["temperature"]({"temperature": 80.0, "humidity": 50.0})


def test_violations_across_fields():
    checks = range_checks({"temperature": (-20.0, 60.0), "humidity": (0.0, 100.0), "co2": (300.0, 2000.0)})
    reading = {"temperature": -30.0, "humidity": 45.0, "co2": 450.0}
    assert violations(reading, checks) == ["temperature"]


def test_valid_reading_has_no_violations():
    checks = range_checks(DEFAULT_LIMITS)
    assert violations({"temperature": 20.0, "humidity": 40.0}, checks) == []


def test_bounds_inclusive():
    checks = range_checks({"a": (1.0, 2.0), "b": (10.0, 20.0)})
    assert checks["a"]({"a": 1.0})
    assert checks["a"]({"a": 2.0})
    assert checks["b"]({"b": 10.0})
