import ipaddress

import pytest

from avatars.importer import AvatarImporter, FetchedImage

DNS = {
    "cdn.example.com": ["93.184.216.34"],
    "images.example.org": ["151.101.1.69", "2606:4700::1111"],
}


class FakeResolver:
    def __init__(self, table=None):
        self.table = dict(DNS, **(table or {}))
        self.calls = []

    def __call__(self, host):
        self.calls.append(host)
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            return list(self.table.get(host, []))


class FakeOpener:
    def __init__(self, content_type="image/png", data=b"\x89PNG\r\n\x1a\n" + b"0" * 32):
        self.content_type = content_type
        self.data = data
        self.urls = []

    def __call__(self, url):
        self.urls.append(url)
        return FetchedImage(self.content_type, self.data)


@pytest.fixture
def resolver():
    return FakeResolver()


@pytest.fixture
def opener():
    return FakeOpener()


@pytest.fixture
def importer(resolver, opener):
    return AvatarImporter(resolver=resolver, opener=opener)
