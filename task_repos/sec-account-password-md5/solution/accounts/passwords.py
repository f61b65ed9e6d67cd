"""Password policy and password hashing for user accounts."""

import hashlib
import hmac
import os

MIN_LENGTH = 10
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


class WeakPasswordError(ValueError):
    """Raised when a new password does not meet the password policy."""


def check_policy(password: str) -> None:
    """Raise :class:`WeakPasswordError` unless ``password`` meets the policy."""
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(f"password must have at least {MIN_LENGTH} characters")
    if password.isdigit() or password.isalpha():
        raise WeakPasswordError("password must mix letters with digits or symbols")


def _derive(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)


def hash_password(password: str) -> str:
    """Return the string to store for a newly chosen ``password``."""
    check_policy(password)
    salt = os.urandom(16)
    return f"scrypt${salt.hex()}${_derive(password, salt).hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Return True when ``password`` matches a value produced by :func:`hash_password`."""
    scheme, _, rest = stored.partition("$")
    salt_hex, _, digest_hex = rest.partition("$")
    try:
        salt, expected = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except ValueError:
        return False
    if scheme != "scrypt" or not salt or not expected:
        return False
    return hmac.compare_digest(_derive(password, salt), expected)
