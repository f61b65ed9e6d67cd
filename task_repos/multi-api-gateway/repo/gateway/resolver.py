"""Cached resolution of raw API keys to key records."""

import time
from collections.abc import Callable

from gateway.keys import ApiKey, KeyStore, fingerprint


class KeyResolver:
    """Resolves keys through the key store, remembering answers for `ttl` seconds.

    Unknown keys are cached as well, so a client hammering with a bad key does not reach
    the key service on every request.
    """

    def __init__(
        self,
        store: KeyStore,
        ttl: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._ttl = ttl
        self._clock = clock
        self._cache: dict[str, tuple[float, ApiKey | None]] = {}

    def resolve(self, raw_key: str) -> ApiKey | None:
        key_id = fingerprint(raw_key)
        now = self._clock()
        cached = self._cache.get(key_id)
        if cached is not None and now - cached[0] < self._ttl:
            return cached[1]
        record = self._store.find(key_id)
        self._cache[raw_key] = (now, record)
        return record

    def invalidate(self, raw_key: str) -> None:
        self._cache.pop(fingerprint(raw_key), None)
