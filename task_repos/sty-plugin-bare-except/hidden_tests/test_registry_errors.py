import pytest

from plugins.registry import PluginRegistry


def exits():
    raise SystemExit(3)


def interrupted():
    raise KeyboardInterrupt


def bad_config():
    raise ValueError("bad config")


def test_system_exit_is_not_swallowed():
    with pytest.raises(SystemExit):
        PluginRegistry().load({"exits": exits}, ["exits"])


def test_keyboard_interrupt_is_not_swallowed():
    with pytest.raises(KeyboardInterrupt):
        PluginRegistry().load({"stuck": interrupted}, ["stuck"])


def test_ordinary_errors_are_reported():
    registry = PluginRegistry()
    report = registry.load({"bad": bad_config, "ok": dict}, ["bad", "ok"])
    assert list(report.failed) == ["bad"]
    assert report.loaded == ["ok"]
    assert registry.names() == ["ok"]
