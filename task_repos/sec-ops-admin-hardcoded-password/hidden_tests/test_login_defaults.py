from opsconsole.auth import can_write, check_login
from opsconsole.settings import load_settings

SHIPPED_PASSWORD = "Ops-Console-2019!"


def _settings_or_none(environ):
    try:
        return load_settings(environ)
    except (KeyError, ValueError, RuntimeError):
        return None  # refusing to start without a password is also acceptable


def test_shipped_password_does_not_open_unconfigured_console():
    settings = _settings_or_none({})
    if settings is not None:
        assert not check_login(settings, "admin", SHIPPED_PASSWORD)
        assert not can_write(settings, "admin", SHIPPED_PASSWORD)


def test_shipped_password_does_not_work_with_custom_user():
    settings = _settings_or_none({"OPS_ADMIN_USER": "ops"})
    if settings is not None:
        assert not check_login(settings, "ops", SHIPPED_PASSWORD)


def test_unconfigured_console_accepts_no_password_at_all():
    settings = _settings_or_none({})
    if settings is not None:
        for guess in ["", " ", "admin", "password", SHIPPED_PASSWORD]:
            assert not check_login(settings, "admin", guess)


def test_default_user_name_still_applies():
    settings = load_settings({"OPS_ADMIN_PASSWORD": "s3cure-enough"})
    assert settings.admin_user == "admin"
    assert check_login(settings, "admin", "s3cure-enough")
    assert can_write(settings, "admin", "s3cure-enough")
