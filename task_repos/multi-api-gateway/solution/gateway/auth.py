"""Authentication of incoming API requests."""

import logging
from collections.abc import Mapping

from gateway.keys import ApiKey
from gateway.redaction import redact_key
from gateway.resolver import KeyResolver

logger = logging.getLogger("gateway.auth")


class AuthError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def bearer_key(headers: Mapping[str, str]) -> str:
    value = headers.get("Authorization", "")
    scheme, _, key = value.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise AuthError(401, "missing bearer API key")
    return key.strip()


def authenticate(resolver: KeyResolver, headers: Mapping[str, str], scope: str) -> ApiKey:
    """Return the caller's key record if it is active and carries `scope`."""
    raw_key = bearer_key(headers)
    record = resolver.resolve(raw_key)
    if record is None or not record.active:
        logger.warning("rejected unknown or revoked API key %s", redact_key(raw_key))
        raise AuthError(401, "invalid API key")
    if scope not in record.scopes:
        logger.info("key %s of %s lacks scope %s", redact_key(raw_key), record.owner, scope)
        raise AuthError(403, f"missing scope {scope}")
    return record
