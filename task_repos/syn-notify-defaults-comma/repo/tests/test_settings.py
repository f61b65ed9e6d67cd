from notify.settings import load_settings


def test_defaults():
    settings = load_settings()
    assert settings["smtp_host"] == "localhost"
    assert settings["smtp_port"] == 25


def test_override_host():
    assert load_settings({"smtp_host": "mail.internal"})["smtp_host"] == "mail.internal"
