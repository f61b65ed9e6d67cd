"""Runtime settings for the ops console, read from the process environment."""

from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_ADMIN_USER = "admin"
DEFAULT_SESSION_MINUTES = 30


@dataclass(frozen=True)
class Settings:
    """Settings for one console process."""

    admin_user: str
    admin_password: str
    session_minutes: int
    read_only: bool


def _flag(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def load_settings(environ: Mapping[str, str]) -> Settings:
    """Build :class:`Settings` from ``OPS_*`` environment variables."""
    minutes = int(environ.get("OPS_SESSION_MINUTES", DEFAULT_SESSION_MINUTES))
    if minutes <= 0:
        raise ValueError("OPS_SESSION_MINUTES must be positive")
    return Settings(
        admin_user=environ.get("OPS_ADMIN_USER", DEFAULT_ADMIN_USER),
        admin_password=environ.get("OPS_ADMIN_PASSWORD", ""),
        session_minutes=minutes,
        read_only=_flag(environ.get("OPS_READ_ONLY", "0")),
    )
