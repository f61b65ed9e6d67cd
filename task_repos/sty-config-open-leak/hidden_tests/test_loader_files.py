import builtins
import json

import pytest

from appconfig import loader
from appconfig.loader import ConfigError, read_config


@pytest.fixture
def opened(monkeypatch):
    handles = []
    real_open = builtins.open

    def tracking_open(*args, **kwargs):
        handle = real_open(*args, **kwargs)
        handles.append(handle)
        return handle

    monkeypatch.setattr(loader, "open", tracking_open, raising=False)
    return handles


def test_file_closed_after_malformed_json(tmp_path, opened):
    path = tmp_path / "config.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError):
        read_config(path)
    assert all(handle.closed for handle in opened)


def test_file_closed_after_success(tmp_path, opened):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"name": "a", "port": 1}), encoding="utf-8")
    read_config(path)
    assert all(handle.closed for handle in opened)


def test_root_must_be_object(tmp_path):
    path = tmp_path / "config.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ConfigError):
        read_config(path)


def test_unicode_values(tmp_path):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"name": "café", "port": 1}, ensure_ascii=False), encoding="utf-8")
    assert read_config(path)["name"] == "café"
