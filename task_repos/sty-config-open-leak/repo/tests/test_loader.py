import json

import pytest

from appconfig.loader import ConfigError, apply_env, load, read_config


def write(tmp_path, data):
    path = tmp_path / "config.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_read_config(tmp_path):
    path = write(tmp_path, {"name": "billing", "port": 8080})
    assert read_config(path) == {"name": "billing", "port": 8080}


def test_missing_file(tmp_path):
    with pytest.raises(ConfigError):
        read_config(tmp_path / "nope.json")


def test_missing_keys(tmp_path):
    with pytest.raises(ConfigError, match="port"):
        read_config(write(tmp_path, {"name": "billing"}))


def test_env_overrides_keep_types():
    merged = apply_env({"name": "a", "port": 80}, {"APP_PORT": "9000", "APP_NAME": "b", "HOME": "/root"})
    assert merged == {"name": "b", "port": 9000}


def test_load(tmp_path):
    path = write(tmp_path, {"name": "billing", "port": 8080, "debug": "no"})
    assert load(path, {"APP_DEBUG": "yes"})["debug"] == "yes"
