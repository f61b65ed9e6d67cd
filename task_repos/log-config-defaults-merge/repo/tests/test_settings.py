import pytest

from appconfig.settings import load_settings, merge_settings


def test_nested_values_are_merged_key_by_key():
    base = {"db": {"host": "localhost", "port": 5432}}
    merged = merge_settings(base, {"db": {"host": "db.internal"}})
    assert merged == {"db": {"host": "db.internal", "port": 5432}}


def test_new_keys_are_added():
    merged = merge_settings({"a": 1}, {"b": {"c": 2}})
    assert merged == {"a": 1, "b": {"c": 2}}


def test_scalar_replaces_mapping():
    assert merge_settings({"a": {"b": 1}}, {"a": None}) == {"a": None}


def test_override_argument_not_modified():
    override = {"db": {"host": "x"}}
    merge_settings({"db": {"host": "y", "port": 1}}, override)
    assert override == {"db": {"host": "x"}}


def test_empty_file_gives_defaults(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("")
    settings = load_settings(path)
    assert settings["database"]["host"] == "localhost"
    assert settings["database"]["pool"] == {"min": 1, "max": 10}


def test_file_values_override_defaults(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("service:\n  port: 9000\n")
    settings = load_settings(path)
    assert settings["service"] == {"name": "orders", "port": 9000}
    assert settings["database"]["port"] == 5432


def test_top_level_must_be_mapping(tmp_path):
    path = tmp_path / "settings.yaml"
    path.write_text("- a\n- b\n")
    with pytest.raises(ValueError):
        load_settings(path)
