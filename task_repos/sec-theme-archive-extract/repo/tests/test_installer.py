import pytest

from themes.installer import ThemeError, install_theme, installed_files

FILES = [
    ("templates/layout.html", b"<html>{{ content }}</html>"),
    ("templates/partials/header.html", b"<header></header>"),
    ("assets/css/site.css", b"body { margin: 0 }"),
]


def test_install_unpacks_nested_folders(tmp_path, make_theme):
    themes = tmp_path / "themes"
    manifest = install_theme(make_theme(entries=FILES), themes)
    assert manifest["slug"] == "aurora"
    assert installed_files(themes, "aurora") == [
        "assets/css/site.css",
        "templates/layout.html",
        "templates/partials/header.html",
        "theme.json",
    ]
    assert (themes / "aurora" / "assets/css/site.css").read_bytes() == b"body { margin: 0 }"


def test_archive_without_manifest_is_rejected(tmp_path, make_theme):
    with pytest.raises(ThemeError):
        install_theme(make_theme(entries=FILES, manifest=False), tmp_path / "themes")


def test_bad_slug_is_rejected(tmp_path, make_theme):
    with pytest.raises(ThemeError):
        install_theme(make_theme(slug="../admin", entries=FILES), tmp_path / "themes")


def test_not_an_archive(tmp_path):
    bogus = tmp_path / "theme.tar.gz"
    bogus.write_bytes(b"PK\x03\x04 definitely not a tarball")
    with pytest.raises(ThemeError):
        install_theme(bogus, tmp_path / "themes")
