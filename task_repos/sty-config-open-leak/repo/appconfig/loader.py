"""Load the service configuration from a JSON file and apply environment overrides."""

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_PREFIX = "APP_"
REQUIRED_KEYS = ("name", "port")


class ConfigError(ValueError):
    """The configuration file is missing, malformed or incomplete."""


def read_config(path: Path) -> dict[str, Any]:
    """Parse the JSON config file at ``path``; it must contain an object with the required keys."""
    if not path.is_file():
        raise ConfigError(f"config file not found: {path}")
    handle = open(path, encoding="utf-8")
    data = json.load(handle)
    handle.close()
    if not isinstance(data, dict):
        raise ConfigError("config root must be an object")
    missing = [key for key in REQUIRED_KEYS if key not in data]
    if missing:
        raise ConfigError(f"missing keys: {', '.join(missing)}")
    return data


def apply_env(config: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """Override top-level keys from ``APP_<KEY>`` variables; integers stay integers."""
    merged = dict(config)
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        key = name[len(ENV_PREFIX):].lower()
        merged[key] = int(raw) if isinstance(merged.get(key), int) else raw
    return merged


def load(path: Path, environ: Mapping[str, str]) -> dict[str, Any]:
    """Read the config file and apply the environment overrides."""
    return apply_env(read_config(path), environ)
