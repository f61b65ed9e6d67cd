import pytest

from appconfig.loader import SettingsError, load_settings


def write(tmp_path, text):
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    return path


def test_python_tags_are_not_constructed(tmp_path):
    marker = tmp_path / "created"
    path = write(tmp_path, f'service_name: !!python/object/apply:os.mkdir ["{marker}"]\n')
    with pytest.raises(SettingsError):
        load_settings(path, {})
    assert not marker.exists()


def test_empty_file_gives_defaults(tmp_path):
    assert load_settings(write(tmp_path, ""), {}).port == 8080


def test_list_at_top_level_rejected(tmp_path):
    with pytest.raises(SettingsError):
        load_settings(write(tmp_path, "- port\n"), {})


def test_env_origins_comma_separated():
    settings = load_settings(None, {"APP_ALLOWED_ORIGINS": "https://a.example, ,https://b.example"})
    assert settings.allowed_origins == ("https://a.example", "https://b.example")


def test_bad_boolean_names_setting():
    with pytest.raises(SettingsError, match="debug"):
        load_settings(None, {"APP_DEBUG": "maybe"})


def test_boolean_is_not_an_integer(tmp_path):
    with pytest.raises(SettingsError, match="workers"):
        load_settings(write(tmp_path, "workers: true\n"), {})


def test_port_boundaries():
    assert load_settings(None, {"APP_PORT": "65535"}).port == 65535
    assert load_settings(None, {"APP_PORT": "1"}).port == 1
    with pytest.raises(SettingsError):
        load_settings(None, {"APP_PORT": "0"})
