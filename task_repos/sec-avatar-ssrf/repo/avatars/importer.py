"""Import profile pictures from a URL the user pastes into their settings."""

import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

MAX_AVATAR_BYTES = 2 * 1024 * 1024
ALLOWED_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}
BLOCKED_HOSTS = {"localhost", "127.0.0.1", "metadata.google.internal"}

Resolver = Callable[[str], list[str]]


@dataclass
class FetchedImage:
    content_type: str
    data: bytes


Opener = Callable[[str], FetchedImage]


def system_resolver(host: str) -> list[str]:
    """All addresses ``host`` resolves to."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def http_opener(url: str) -> FetchedImage:
    """Download ``url`` without following redirects."""
    response = requests.get(url, timeout=(3, 10), allow_redirects=False, stream=True)
    response.raise_for_status()
    data = response.raw.read(MAX_AVATAR_BYTES + 1)
    return FetchedImage(response.headers.get("Content-Type", ""), data)


class AvatarImporter:
    """Downloads an avatar image on behalf of a user."""

    def __init__(self, resolver: Resolver = system_resolver, opener: Opener = http_opener) -> None:
        self._resolve = resolver
        self._open = opener

    def check_url(self, url: str) -> str:
        """Validate ``url`` and return its host name."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError("avatar URL must be an http(s) URL")
        host = parts.hostname.lower().rstrip(".")
        if host in BLOCKED_HOSTS:
            raise PermissionError(f"host not allowed: {host}")
        if not self._resolve(host):
            raise ValueError(f"cannot resolve {host}")
        return host

    def fetch(self, url: str) -> FetchedImage:
        """Fetch the avatar at ``url`` and check that it is a reasonably sized image."""
        self.check_url(url)
        image = self._open(url)
        media_type = image.content_type.split(";")[0].strip().lower()
        if media_type not in ALLOWED_TYPES:
            raise ValueError(f"unsupported content type: {media_type or 'none'}")
        if len(image.data) > MAX_AVATAR_BYTES:
            raise ValueError("avatar too large")
        return image
