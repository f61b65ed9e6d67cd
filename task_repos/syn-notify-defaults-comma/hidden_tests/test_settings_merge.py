import pytest

from notify.settings import DEFAULTS, load_settings


def test_all_defaults_present():
    assert set(DEFAULTS) == {
        "smtp_host",
        "smtp_port",
        "use_tls",
        "sender",
        "timeout_seconds",
        "max_recipients",
    }
    assert load_settings()["timeout_seconds"] == 10
    assert load_settings()["max_recipients"] == 50


def test_string_numbers_are_converted():
    assert load_settings({"timeout_seconds": "30"})["timeout_seconds"] == 30


def test_tls_switches_default_port():
    assert load_settings({"use_tls": True})["smtp_port"] == 587


def test_tls_keeps_explicit_port():
    assert load_settings({"use_tls": True, "smtp_port": 2525})["smtp_port"] == 2525


def test_unknown_key_rejected():
    with pytest.raises(KeyError):
        load_settings({"smtp_user": "bob"})


def test_non_positive_rejected():
    with pytest.raises(ValueError):
        load_settings({"max_recipients": 0})


def test_defaults_not_mutated():
    load_settings({"smtp_host": "other"})
    assert DEFAULTS["smtp_host"] == "localhost"
