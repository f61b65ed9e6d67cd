"""Generation and hashing of password-reset tokens."""

import hashlib
import random
import string

ALPHABET = string.ascii_letters + string.digits
TOKEN_LENGTH = 32


def generate_token(length: int = TOKEN_LENGTH) -> str:
    """A new reset token of `length` alphanumeric characters."""
    if length < 16:
        raise ValueError("reset tokens need at least 16 characters")
    return "".join(random.choice(ALPHABET) for _ in range(length))


def token_digest(token: str) -> str:
    """Tokens are stored hashed so a database leak does not expose live links."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
