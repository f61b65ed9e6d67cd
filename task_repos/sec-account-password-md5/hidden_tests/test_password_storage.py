import hashlib

import pytest

from accounts.passwords import check_policy, hash_password, verify_password

PASSWORD = "Tr0ub4dor&3-extra"


@pytest.fixture(scope="module")
def pair():
    return hash_password(PASSWORD), hash_password(PASSWORD)


def test_stored_value_is_not_a_plain_digest(pair):
    stored = pair[0].lower()
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "sha3_256"):
        digest = hashlib.new(name, PASSWORD.encode("utf-8")).hexdigest()
        assert digest not in stored, name


def test_same_password_is_salted_differently(pair):
    first, second = pair
    assert first != second
    assert verify_password(PASSWORD, second)


def test_broken_digests_are_not_used(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("md5/sha1 must not be used for passwords")

    monkeypatch.setattr(hashlib, "md5", refuse)
    monkeypatch.setattr(hashlib, "sha1", refuse)
    stored = hash_password("Ünïcode-pässword-9")
    assert "Ünïcode" not in stored


def test_legacy_unsalted_md5_value_does_not_verify():
    legacy = hashlib.md5(PASSWORD.encode("utf-8")).hexdigest()
    assert not verify_password(PASSWORD, legacy)


def test_policy_accepts_exactly_min_length():
    check_policy("abcdefgh1!")
    check_policy("pässwörd-9")
