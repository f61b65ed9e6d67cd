"""Conversion of raw (YAML or environment) values to setting types."""

from typing import Any

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def coerce(name: str, raw: Any, target: type) -> Any:
    """Convert `raw` to `target`, raising ValueError with the setting name on failure."""
    if target is bool:
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"{name}: expected a boolean, got {raw!r}")
    if target is int:
        if isinstance(raw, bool):
            raise ValueError(f"{name}: expected an integer, got {raw!r}")
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ValueError(f"{name}: expected an integer, got {raw!r}") from None
    if target is tuple:
        items = raw if isinstance(raw, list) else str(raw).split(",")
        return tuple(str(item).strip() for item in items if str(item).strip())
    return str(raw)
