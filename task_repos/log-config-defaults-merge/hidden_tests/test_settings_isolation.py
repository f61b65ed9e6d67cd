import copy

from appconfig import settings as settings_module
from appconfig.settings import load_settings, merge_settings


def test_base_not_modified_by_nested_override():
    base = {"db": {"host": "localhost", "pool": {"min": 1, "max": 10}}}
    snapshot = copy.deepcopy(base)
    merge_settings(base, {"db": {"host": "db1", "pool": {"max": 50}}})
    assert base == snapshot


def test_defaults_survive_loading(tmp_path):
    snapshot = copy.deepcopy(settings_module.DEFAULTS)
    path = tmp_path / "settings.yaml"
    path.write_text("database:\n  host: db.prod\n  pool:\n    max: 40\nfeatures:\n  audit_log: true\n")
    settings = load_settings(path)
    assert settings["database"] == {"host": "db.prod", "port": 5432, "pool": {"min": 1, "max": 40}}
    assert settings_module.DEFAULTS == snapshot


def test_second_deployment_does_not_inherit_first(tmp_path):
    first = tmp_path / "eu.yaml"
    first.write_text("database:\n  host: db.eu\nfeatures:\n  beta_checkout: true\n")
    second = tmp_path / "us.yaml"
    second.write_text("service:\n  name: orders-us\n")
    load_settings(first)
    settings = load_settings(second)
    assert settings["database"]["host"] == "localhost"
    assert settings["features"]["beta_checkout"] is False
    assert settings["service"] == {"name": "orders-us", "port": 8080}


def test_results_are_independent():
    a = merge_settings({"x": {"y": 1}}, {})
    b = merge_settings({"x": {"y": 1}}, {})
    a["x"]["y"] = 2
    assert b["x"]["y"] == 1
