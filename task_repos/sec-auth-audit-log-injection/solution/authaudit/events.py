"""Audit trail for authentication events, one line per event."""

import logging
from typing import IO

AUDIT_LOGGER = "auth.audit"
LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"

logger = logging.getLogger(AUDIT_LOGGER)


def configure_audit_log(stream: IO[str]) -> logging.Handler:
    """Send audit events to ``stream`` (a file or the collector's pipe)."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(LINE_FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def _clean(value: object) -> str:
    """Escape control and line-break characters so one event stays on one line."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in str(value))


def format_event(event: str, **fields: object) -> str:
    """Render ``event`` and its fields as ``event=<name> key=value ...``."""
    parts = [f"event={event}"]
    parts.extend(f"{key}={_clean(value)}" for key, value in fields.items())
    return " ".join(parts)


def _emit(level: int, event: str, **fields: object) -> None:
    logger.log(level, "%s", format_event(event, **fields))


def login_succeeded(username: str, source_ip: str) -> None:
    _emit(logging.INFO, "login_succeeded", user=username, ip=source_ip)


def login_failed(username: str, source_ip: str, reason: str) -> None:
    _emit(logging.WARNING, "login_failed", user=username, ip=source_ip, reason=reason)


def password_changed(username: str, changed_by: str) -> None:
    _emit(logging.INFO, "password_changed", user=username, by=changed_by)


def account_locked(username: str, failures: int) -> None:
    _emit(logging.WARNING, "account_locked", user=username, failures=failures)
