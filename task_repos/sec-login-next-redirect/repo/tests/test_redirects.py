from webauth.redirects import after_login, after_logout, login_url, safe_next


def test_local_path_with_query_is_kept():
    assert safe_next("/orders?page=2") == "/orders?page=2"


def test_missing_next_uses_default():
    assert safe_next(None) == "/dashboard"
    assert safe_next("") == "/dashboard"


def test_absolute_url_to_other_site_is_replaced():
    assert safe_next("https://evil.example/phish") == "/dashboard"


def test_protocol_relative_url_is_replaced():
    assert safe_next("//evil.example/phish") == "/dashboard"


def test_after_login_sets_cookie_and_location():
    response = after_login("/settings/profile", "abc123")
    assert response.status == 303
    assert response.location == "/settings/profile"
    assert response.headers["Set-Cookie"].startswith("sid=abc123;")


def test_after_logout_defaults_to_login_page():
    assert after_logout(None).location == "/login"


def test_login_url_round_trips_current_path():
    assert login_url("/orders/17") == "/login?next=/orders/17"
