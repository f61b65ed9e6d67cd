"""API key records and the lookup interface of the key store."""

import hashlib
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class ApiKey:
    key_id: str
    owner: str
    scopes: frozenset[str]
    active: bool = True


class KeyStore(Protocol):
    def find(self, key_id: str) -> ApiKey | None:
        """Fetch a key record by its fingerprint (a network round trip to the key service)."""
        ...


def fingerprint(raw_key: str) -> str:
    """Stable identifier of a raw key; the key service indexes records by it."""
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()[:32]
