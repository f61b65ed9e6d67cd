import string

import pytest

from authflow.service import ResetError
from authflow.tokens import generate_token, token_digest


def test_token_shape():
    token = generate_token()
    assert len(token) == 32
    assert set(token) <= set(string.ascii_letters + string.digits)


def test_short_tokens_refused():
    with pytest.raises(ValueError):
        generate_token(8)


def test_digest_is_sha256_hex():
    assert len(token_digest("abc")) == 64
    assert token_digest("abc") != token_digest("abd")


def test_reset_sets_password(service, passwords):
    token = service.request_reset("Ada@Example.com")
    assert service.reset_password(token, "correct horse battery") == "ada@example.com"
    assert passwords == {"ada@example.com": "correct horse battery"}


def test_unknown_token_rejected(service):
    with pytest.raises(ResetError):
        service.reset_password("nope" * 8, "correct horse battery")


def test_new_request_revokes_old_token(service):
    old = service.request_reset("ada@example.com")
    service.request_reset("ada@example.com")
    with pytest.raises(ResetError):
        service.reset_password(old, "correct horse battery")


def test_weak_password_rejected(service):
    token = service.request_reset("ada@example.com")
    with pytest.raises(ValueError):
        service.reset_password(token, "short")


def test_long_expired_token(service, clock):
    token = service.request_reset("ada@example.com")
    clock.advance(hours=2)
    with pytest.raises(ResetError):
        service.reset_password(token, "correct horse battery")
