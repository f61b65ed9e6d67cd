import pytest

from appconfig.loader import SettingsError, load_settings
from appconfig.schema import Settings


def write(tmp_path, text):
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    return path


def test_defaults_without_file():
    assert load_settings(None, {}) == Settings()


def test_yaml_values(tmp_path):
    path = write(tmp_path, "port: 9000\ndebug: true\nallowed_origins: [https://a.example, https://b.example]\n")
    settings = load_settings(path, {})
    assert settings.port == 9000
    assert settings.debug is True
    assert settings.allowed_origins == ("https://a.example", "https://b.example")


def test_environment_wins(tmp_path):
    path = write(tmp_path, "port: 9000\nworkers: 2\n")
    settings = load_settings(path, {"APP_PORT": "9100", "APP_DEBUG": "yes", "OTHER": "x"})
    assert (settings.port, settings.workers, settings.debug) == (9100, 2, True)


def test_unknown_key_rejected(tmp_path):
    with pytest.raises(SettingsError, match="colour"):
        load_settings(write(tmp_path, "colour: blue\n"), {})


def test_invalid_port(tmp_path):
    with pytest.raises(SettingsError):
        load_settings(write(tmp_path, "port: 70000\n"), {})
