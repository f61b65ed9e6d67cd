"""HMAC-SHA256 signatures for incoming webhook deliveries."""

import hashlib
import hmac

TOLERANCE_SECONDS = 300


def sign(key: bytes, timestamp: str, body: bytes) -> str:
    """Hex signature over `<timestamp>.<body>`."""
    message = timestamp.encode("ascii") + b"." + body
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def verify(key: bytes, timestamp: str, body: bytes, signature: str, now: float) -> bool:
    """Check a delivery's signature and reject stale or future-dated timestamps."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        return False
    expected = sign(key, timestamp, body)
    return expected == signature
