"""Invitation codes sent by e-mail."""

import hashlib
import secrets


def new_code() -> str:
    """URL-safe code with 192 bits of entropy."""
    return secrets.token_urlsafe(24)


def code_digest(code: str) -> str:
    return hashlib.sha256(code.encode("utf-8")).hexdigest()
