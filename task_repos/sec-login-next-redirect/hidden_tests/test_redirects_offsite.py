import pytest

from webauth.redirects import after_login, safe_next

OFFSITE = [
    "//evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "/\t/evil.example/",
    "/\n/evil.example/",
    "/\r//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("target", OFFSITE)
def test_offsite_targets_fall_back_to_default(target):
    assert safe_next(target) == "/dashboard"


@pytest.mark.parametrize("target", OFFSITE)
def test_login_never_redirects_offsite(target):
    assert after_login(target, "sid1").location == "/dashboard"


@pytest.mark.parametrize(
    "target",
    ["/", "/search?q=a%20b#results", "/files/report%2Fq3.pdf", "/a/b/c?next=//x"],
)
def test_ordinary_local_paths_are_kept(target):
    assert safe_next(target) == target


def test_custom_default_is_used_for_rejected_target():
    assert safe_next("/\\evil.example", default="/home") == "/home"
