import pytest

from avatars.importer import MAX_AVATAR_BYTES, AvatarImporter, FetchedImage


def test_fetches_image_from_public_cdn(importer, opener):
    image = importer.fetch("https://cdn.example.com/u/42.png")
    assert image.data.startswith(b"\x89PNG")
    assert opener.urls == ["https://cdn.example.com/u/42.png"]


def test_host_with_several_public_addresses_is_fine(importer):
    assert importer.check_url("https://images.example.org/a.jpg") == "images.example.org"


def test_non_http_scheme_rejected(importer, opener):
    with pytest.raises(ValueError):
        importer.fetch("file:///etc/hostname")
    assert opener.urls == []


def test_unresolvable_host_rejected(importer):
    with pytest.raises(ValueError):
        importer.fetch("https://no-such-host.example/a.png")


def test_localhost_rejected(importer, opener):
    with pytest.raises(PermissionError):
        importer.fetch("http://localhost:8080/admin")
    assert opener.urls == []


def test_non_image_content_rejected(resolver):
    importer = AvatarImporter(resolver, lambda url: FetchedImage("text/html", b"<html>"))
    with pytest.raises(ValueError):
        importer.fetch("https://cdn.example.com/u/42.png")


def test_oversized_image_rejected(resolver):
    big = FetchedImage("image/jpeg", b"0" * (MAX_AVATAR_BYTES + 1))
    importer = AvatarImporter(resolver, lambda url: big)
    with pytest.raises(ValueError):
        importer.fetch("https://cdn.example.com/u/42.jpg")
