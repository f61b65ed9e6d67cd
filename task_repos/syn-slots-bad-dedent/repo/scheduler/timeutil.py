"""Minute-of-day helpers used by the booking scheduler."""


def parse_hhmm(text: str) -> int:
    """Convert ``"HH:MM"`` into minutes after midnight."""
    hours, _, minutes = text.strip().partition(":")
    if not hours.isdigit() or not minutes.isdigit():
        raise ValueError(f"invalid time: {text!r}")
    value = int(hours) * 60 + int(minutes)
    if int(minutes) >= 60 or value > 24 * 60:
        raise ValueError(f"invalid time: {text!r}")
    return value


def format_hhmm(minutes: int) -> str:
    """Convert minutes after midnight back into ``"HH:MM"``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
