"""Verification of the `Payout-Signature` header: `t=<unix time>,v1=<hex>[,v1=<hex>...]`.

During a key rotation the sender signs with both keys and sends one v1 entry per key.
"""

import hashlib
import hmac

TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    pass


def parse_header(header: str) -> tuple[int, list[str]]:
    timestamp: int | None = None
    signatures: list[str] = []
    for part in header.split(","):
        name, _, value = part.strip().partition("=")
        if name == "t" and value.isdigit():
            timestamp = int(value)
        elif name == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise SignatureError("malformed signature header")
    return timestamp, signatures


def expected_signature(key: bytes, timestamp: int, payload: bytes) -> str:
    return hmac.new(key, f"{timestamp}.".encode() + payload, hashlib.sha256).hexdigest()


def verify_header(key: bytes, header: str, payload: bytes, now: float) -> int:
    """Return the signed timestamp, or raise SignatureError."""
    timestamp, signatures = parse_header(header)
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError("timestamp outside the tolerance window")
    expected = expected_signature(key, timestamp, payload)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise SignatureError("no matching signature")
    return timestamp
