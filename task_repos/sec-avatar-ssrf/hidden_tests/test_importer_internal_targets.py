import ipaddress

import pytest

from avatars.importer import AvatarImporter, FetchedImage

PUBLIC = {"cdn.example.com": ["93.184.216.34"]}
INTERNAL = {
    "intranet.corp.example": ["10.20.0.7"],
    "localtest.me": ["127.0.0.1"],
    "mixed.example.net": ["93.184.216.34", "192.168.1.10"],
    "2130706433": ["127.0.0.1"],
    "0x7f.1": ["127.0.0.1"],
    "v6-loopback.example": ["::1"],
}


def resolve(host):
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        return list({**PUBLIC, **INTERNAL}.get(host, []))


class RecordingOpener:
    def __init__(self):
        self.urls = []

    def __call__(self, url):
        self.urls.append(url)
        return FetchedImage("image/png", b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://[::1]:8080/admin",
        "http://2130706433/",
        "http://0x7f.1/",
        "http://0.0.0.0:6379/",
        "http://127.0.0.2/",
        "http://10.0.0.1/router",
        "https://intranet.corp.example/payroll.png",
        "http://localtest.me:9200/_cat/indices",
        "https://mixed.example.net/a.png",
        "https://v6-loopback.example/a.png",
        "http://LOCALHOST./",
    ],
)
def test_internal_destinations_are_refused_before_any_request(url):
    opener = RecordingOpener()
    importer = AvatarImporter(resolver=resolve, opener=opener)
    with pytest.raises(PermissionError):
        importer.fetch(url)
    assert opener.urls == []


def test_public_host_still_fetched():
    opener = RecordingOpener()
    importer = AvatarImporter(resolver=resolve, opener=opener)
    assert importer.fetch("https://cdn.example.com/a.png").content_type == "image/png"
    assert opener.urls == ["https://cdn.example.com/a.png"]


def test_public_ip_literal_allowed():
    opener = RecordingOpener()
    importer = AvatarImporter(resolver=resolve, opener=opener)
    importer.fetch("http://93.184.216.34/a.png")
    assert opener.urls == ["http://93.184.216.34/a.png"]


def test_content_type_parameters_are_ignored():
    def opener(url):
        return FetchedImage("Image/PNG; charset=binary", b"\x89PNG")

    importer = AvatarImporter(resolver=resolve, opener=opener)
    assert importer.fetch("https://cdn.example.com/a.png").data == b"\x89PNG"
