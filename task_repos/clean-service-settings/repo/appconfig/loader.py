"""Loading settings from a YAML file plus APP_* environment overrides."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from appconfig.coerce import coerce
from appconfig.schema import Settings, field_types

ENV_PREFIX = "APP_"


class SettingsError(ValueError):
    pass


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path}: invalid YAML ({exc})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: top level must be a mapping")
    return data


def load_settings(path: Path | None, environ: Mapping[str, str]) -> Settings:
    """Defaults < YAML file < environment (APP_PORT=9000 overrides `port`)."""
    types = field_types()
    raw: dict[str, Any] = read_yaml(path) if path is not None else {}
    unknown = sorted(set(raw) - set(types))
    if unknown:
        raise SettingsError(f"unknown settings: {', '.join(unknown)}")
    for name in types:
        env_name = ENV_PREFIX + name.upper()
        if env_name in environ:
            raw[name] = environ[env_name]
    try:
        values = {name: coerce(name, value, types[name]) for name, value in raw.items()}
        return Settings(**values)
    except ValueError as exc:
        raise SettingsError(str(exc)) from exc
