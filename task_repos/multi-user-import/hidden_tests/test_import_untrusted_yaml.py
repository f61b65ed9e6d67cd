import pytest
import yaml

from accounts.directory import UserDirectory
from accounts.loader import ImportFormatError, parse_import
from accounts.service import import_users


def gadget(marker) -> str:
    return f"""
users:
  - email: eve@example.com
    name: !!python/object/apply:os.mkdir ["{marker}"]
"""


def test_python_tags_do_not_execute(tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises((ImportFormatError, yaml.YAMLError)):
        parse_import(gadget(marker))
    assert not marker.exists()


def test_import_with_gadget_creates_nothing(tmp_path):
    marker = tmp_path / "pwned"
    directory = UserDirectory()
    with pytest.raises((ImportFormatError, yaml.YAMLError)):
        import_users(gadget(marker), directory)
    assert not marker.exists()
    assert directory.emails() == []


def test_python_object_tag_rejected():
    with pytest.raises((ImportFormatError, yaml.YAMLError)):
        parse_import("users:\n  - !!python/object:collections.OrderedDict {}\n")


def test_plain_yaml_features_still_supported():
    text = """
defaults: &defaults
  roles: [viewer]
users:
  - <<: *defaults
    email: a@example.com
  - email: b@example.com
    roles: [admin]
"""
    entries = parse_import(text)
    assert entries[0] == {"roles": ["viewer"], "email": "a@example.com"}
    assert entries[1]["roles"] == ["admin"]
