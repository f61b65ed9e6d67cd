"""On-disk cache for the CLI's API access token.

After ``devcli login`` the access token is kept in ``<config_dir>/auth.json`` so that later
commands can reuse it until shortly before it expires.
"""

import json
import os
from dataclasses import dataclass
from pathlib import Path

CACHE_NAME = "auth.json"
EXPIRY_MARGIN = 30


@dataclass(frozen=True)
class CachedToken:
    """An access token and its expiry as a Unix timestamp."""

    access_token: str
    expires_at: int

    def is_valid(self, now: int) -> bool:
        """True while the token has more than ``EXPIRY_MARGIN`` seconds left."""
        return now < self.expires_at - EXPIRY_MARGIN


def save_token(config_dir: str | Path, token: CachedToken) -> Path:
    """Write ``token`` to the cache file in ``config_dir`` and return the file's path."""
    directory = Path(config_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CACHE_NAME
    payload = {"access_token": token.access_token, "expires_at": token.expires_at}
    path.touch(mode=0o600, exist_ok=True)
    os.chmod(path, 0o600)
    path.write_text(json.dumps(payload), encoding="utf-8")
    return path


def load_token(config_dir: str | Path, now: int) -> CachedToken | None:
    """Return the cached token if there is a readable, unexpired one."""
    path = Path(config_dir) / CACHE_NAME
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        token = CachedToken(str(payload["access_token"]), int(payload["expires_at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return token if token.is_valid(now) else None


def clear_token(config_dir: str | Path) -> None:
    """Forget the cached token (``devcli logout``)."""
    (Path(config_dir) / CACHE_NAME).unlink(missing_ok=True)
