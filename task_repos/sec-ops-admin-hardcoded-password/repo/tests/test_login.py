import pytest

from opsconsole.auth import can_write, check_login
from opsconsole.settings import load_settings

ENV = {"OPS_ADMIN_USER": "root-ops", "OPS_ADMIN_PASSWORD": "correct horse battery staple"}


def test_configured_admin_can_log_in():
    settings = load_settings(ENV)
    assert check_login(settings, "root-ops", "correct horse battery staple")


def test_wrong_password_or_user_is_rejected():
    settings = load_settings(ENV)
    assert not check_login(settings, "root-ops", "correct horse")
    assert not check_login(settings, "admin", "correct horse battery staple")


def test_empty_credentials_are_rejected():
    settings = load_settings(ENV)
    assert not check_login(settings, "", "")


def test_session_minutes_default_and_override():
    assert load_settings(ENV).session_minutes == 30
    assert load_settings({**ENV, "OPS_SESSION_MINUTES": "90"}).session_minutes == 90
    with pytest.raises(ValueError):
        load_settings({**ENV, "OPS_SESSION_MINUTES": "0"})


def test_read_only_mode_blocks_writes():
    settings = load_settings({**ENV, "OPS_READ_ONLY": "yes"})
    assert check_login(settings, "root-ops", "correct horse battery staple")
    assert not can_write(settings, "root-ops", "correct horse battery staple")
