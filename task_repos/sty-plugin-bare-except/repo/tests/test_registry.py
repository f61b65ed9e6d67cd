from plugins.registry import PluginRegistry


class Slack:
    pass


def broken():
    raise RuntimeError("missing token")


def test_loads_enabled_plugins():
    registry = PluginRegistry()
    report = registry.load({"slack": Slack, "jira": Slack}, ["slack"])
    assert report.loaded == ["slack"]
    assert report.ok
    assert isinstance(registry.get("slack"), Slack)
    assert registry.get("jira") is None


def test_broken_plugin_does_not_stop_others():
    registry = PluginRegistry()
    report = registry.load({"broken": broken, "slack": Slack}, ["broken", "slack"])
    assert registry.names() == ["slack"]
    assert "broken" in report.failed
    assert not report.ok


def test_unknown_plugin_reported():
    report = PluginRegistry().load({}, ["ghost"])
    assert report.failed == {"ghost": "unknown plugin"}
