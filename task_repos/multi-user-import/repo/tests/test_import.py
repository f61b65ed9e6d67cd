import pytest

from accounts.directory import UserDirectory
from accounts.loader import ImportFormatError, parse_import
from accounts.service import import_users
from accounts.validation import InvalidUserError, normalise_user

DOC = """
users:
  - email: Ada@Example.com
    name: Ada Lovelace
    roles: [editor, Billing]
  - email: grace@example.com
  - email: not-an-email
  - email: ada@example.com
"""


def test_parse_returns_entries():
    assert len(parse_import(DOC)) == 4


def test_parse_rejects_wrong_shape():
    with pytest.raises(ImportFormatError):
        parse_import("- just\n- a list\n")
    with pytest.raises(ImportFormatError):
        parse_import("users: [unbalanced")


def test_normalise_defaults():
    user = normalise_user({"email": " Grace@Example.com "})
    assert user.email == "grace@example.com"
    assert user.name == "grace"
    assert user.roles == frozenset({"viewer"})


def test_unknown_role_rejected():
    with pytest.raises(InvalidUserError):
        normalise_user({"email": "a@example.com", "roles": ["root"]})


def test_import_report():
    directory = UserDirectory()
    report = import_users(DOC, directory)
    assert report.created == ["ada@example.com", "grace@example.com"]
    assert report.skipped == ["ada@example.com"]
    assert len(report.errors) == 1
    assert directory.get("ada@example.com").roles == frozenset({"editor", "billing"})
