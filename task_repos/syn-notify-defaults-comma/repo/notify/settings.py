"""Mailer settings: built-in defaults merged with the values from the deployment config."""

from collections.abc import Mapping

DEFAULTS: dict[str, object] = {
    "smtp_host": "localhost",
    "smtp_port": 25,
    "use_tls": False,
    "sender": "noreply@example.com",
    "timeout_seconds": 10
    "max_recipients": 50,
}

INT_KEYS = ("smtp_port", "timeout_seconds", "max_recipients")


def load_settings(overrides: Mapping[str, object] | None = None) -> dict[str, object]:
    """Return the defaults updated with ``overrides``; unknown keys and bad values are rejected."""
    settings = dict(DEFAULTS)
    for key, value in (overrides or {}).items():
        if key not in DEFAULTS:
            raise KeyError(f"unknown mailer setting: {key}")
        settings[key] = value
    for key in INT_KEYS:
        number = int(str(settings[key]))
        if number <= 0:
            raise ValueError(f"{key} must be positive")
        settings[key] = number
    if settings["use_tls"] and settings["smtp_port"] == 25:
        settings["smtp_port"] = 587
    return settings
