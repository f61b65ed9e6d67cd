"""Registry that instantiates the optional integrations listed in the configuration."""

from collections.abc import Callable
from dataclasses import dataclass, field

Factory = Callable[[], object]


@dataclass
class LoadReport:
    """Outcome of loading a set of plugins."""

    loaded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed


class PluginRegistry:
    """Keeps the plugin instances that started successfully."""

    def __init__(self) -> None:
        self._instances: dict[str, object] = {}

    def get(self, name: str) -> object | None:
        return self._instances.get(name)

    def names(self) -> list[str]:
        return sorted(self._instances)

    def _start(self, name: str, factory: Factory, report: LoadReport) -> None:
        try:
            instance = factory()
        except:
            report.failed[name] = "failed to start"
            return
        self._instances[name] = instance
        report.loaded.append(name)

    def load(self, factories: dict[str, Factory], enabled: list[str]) -> LoadReport:
        """Start every enabled plugin; a broken plugin is reported instead of stopping the others."""
        report = LoadReport()
        for name in enabled:
            factory = factories.get(name)
            if factory is None:
                report.failed[name] = "unknown plugin"
                continue
            self._start(name, factory, report)
        return report
