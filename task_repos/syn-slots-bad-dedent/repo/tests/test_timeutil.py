import pytest

from scheduler.timeutil import format_hhmm, parse_hhmm


def test_parse_hhmm():
    assert parse_hhmm("09:30") == 570


def test_parse_hhmm_midnight_end():
    assert parse_hhmm("24:00") == 1440


@pytest.mark.parametrize("text", ["9h30", "10:75", "25:00", ""])
def test_parse_hhmm_rejects_invalid(text):
    with pytest.raises(ValueError):
        parse_hhmm(text)


def test_format_roundtrip():
    assert format_hhmm(parse_hhmm("07:05")) == "07:05"
