import pytest

from validation.profile import DEFAULT_LIMITS, parse_limits
from validation.rules import range_checks, violations


def test_single_field_check():
    checks = range_checks({"temperature": (-20.0, 60.0)})
    assert checks["temperature"]({"temperature": 21.5})
    assert not checks["temperature"]({"temperature": 75.0})


def test_invalid_limits_rejected():
    with pytest.raises(ValueError):
        range_checks({"humidity": (100.0, 0.0)})


def test_missing_field_is_a_violation():
    checks = range_checks({"temperature": (-20.0, 60.0)})
    assert violations({}, checks) == ["temperature"]


def test_parse_limits():
    assert parse_limits("temperature=-20..60, humidity=0..100") == DEFAULT_LIMITS


def test_parse_limits_rejects_garbage():
    with pytest.raises(ValueError):
        parse_limits("temperature=hot")
