"""Password policy and password hashing for user accounts."""

import hashlib
import hmac

MIN_LENGTH = 10


class WeakPasswordError(ValueError):
    """Raised when a new password does not meet the password policy."""


def check_policy(password: str) -> None:
    """Raise :class:`WeakPasswordError` unless ``password`` meets the policy."""
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"password must have at least {MIN_LENGTH} characters")
    if password.isdigit() or password.isalpha():
        raise WeakPasswordError("password must mix letters with digits or symbols")


def hash_password(password: str) -> str:
    """Return the string to store for a newly chosen ``password``."""
    check_policy(password)
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def verify_password(password: str, stored: str) -> bool:
    """Return True when ``password`` matches a value produced by :func:`hash_password`."""
    candidate = hashlib.md5(password.encode("utf-8")).hexdigest()
    return hmac.compare_digest(candidate, stored)
