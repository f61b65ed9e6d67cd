import tarfile

from themes.installer import install_theme, installed_files


def _install_quietly(archive, themes):
    try:
        install_theme(archive, themes)
    except (ValueError, tarfile.TarError):
        pass


def _stray_files(tmp_path, themes):
    """Files created anywhere under tmp_path except inside the themes dir and the uploads."""
    return sorted(
        str(p.relative_to(tmp_path))
        for p in tmp_path.rglob("*")
        if p.is_file() and themes not in p.parents and p.suffix != ".gz" and "victim" not in p.parts
    )


def test_dot_dot_member_stays_inside_theme(tmp_path, make_theme):
    themes = tmp_path / "themes"
    archive = make_theme(entries=[("assets/ok.css", b"x"), ("../../escaped.txt", b"owned")])
    _install_quietly(archive, themes)
    assert not (tmp_path / "escaped.txt").exists()
    assert not (themes / "escaped.txt").exists()
    assert _stray_files(tmp_path, themes) == []


def test_absolute_member_stays_inside_theme(tmp_path, make_theme):
    themes = tmp_path / "themes"
    outside = tmp_path / "absolute-escape.txt"
    _install_quietly(make_theme(entries=[(str(outside), b"owned")]), themes)
    assert not outside.exists()


def test_symlink_cannot_redirect_writes_outside(tmp_path, make_theme):
    themes = tmp_path / "themes"
    victim = tmp_path / "victim"
    victim.mkdir()
    archive = make_theme(
        entries=[
            ("assets/cdn", tarfile.SYMTYPE, str(victim)),
            ("assets/cdn/pwned.js", b"alert(1)"),
        ]
    )
    _install_quietly(archive, themes)
    assert list(victim.iterdir()) == []


def test_reinstall_replaces_previous_version(tmp_path, make_theme):
    themes = tmp_path / "themes"
    install_theme(make_theme(entries=[("templates/old.html", b"old")], name="v1.tar.gz"), themes)
    install_theme(make_theme(entries=[("templates/new/page.html", b"new")], name="v2.tar.gz"), themes)
    assert installed_files(themes, "aurora") == ["templates/new/page.html", "theme.json"]


def test_explicit_directory_members_and_deep_nesting(tmp_path, make_theme):
    themes = tmp_path / "themes"
    archive = make_theme(
        slug="nord-2",
        entries=[
            ("assets", tarfile.DIRTYPE, ""),
            ("assets/img", tarfile.DIRTYPE, ""),
            ("assets/img/icons/social/x.svg", b"<svg/>"),
        ],
    )
    assert install_theme(archive, themes)["name"] == "Nord-2"
    assert installed_files(themes, "nord-2") == ["assets/img/icons/social/x.svg", "theme.json"]
