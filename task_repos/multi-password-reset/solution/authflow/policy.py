"""Lifetime rules for reset tokens."""

from datetime import datetime, timedelta

TOKEN_TTL_MINUTES = 30


def expires_at(issued_at: datetime, ttl_minutes: int = TOKEN_TTL_MINUTES) -> datetime:
    return issued_at + timedelta(minutes=ttl_minutes)


def is_expired(issued_at: datetime, now: datetime, ttl_minutes: int = TOKEN_TTL_MINUTES) -> bool:
    """A token is usable up to and including its expiry instant."""
    return now > expires_at(issued_at, ttl_minutes)
