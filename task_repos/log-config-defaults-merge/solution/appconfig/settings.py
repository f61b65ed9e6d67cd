"""Service settings: built-in defaults overlaid with a deployment's YAML file."""

import copy
from pathlib import Path
from typing import Any

import yaml

DEFAULTS: dict[str, Any] = {
    "service": {"name": "orders", "port": 8080},
    "database": {"host": "localhost", "port": 5432, "pool": {"min": 1, "max": 10}},
    "features": {"audit_log": False, "beta_checkout": False},
}


def _merge_into(target: dict[str, Any], override: dict[str, Any]) -> None:
    """Copy `override` into `target`; nested mappings are merged key by key."""
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _merge_into(target[key], value)
        else:
            target[key] = value


def merge_settings(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Return `base` overlaid with `override`. Neither argument is modified."""
    merged = copy.deepcopy(base)
    _merge_into(merged, override)
    return merged


def load_settings(path: Path) -> dict[str, Any]:
    """Read a deployment's YAML settings file and overlay it on DEFAULTS."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: top level must be a mapping")
    return merge_settings(DEFAULTS, data)
