"""Parsing of bulk user import files (YAML)."""

from typing import Any

import yaml


class ImportFormatError(ValueError):
    """The uploaded file is not a valid user import document."""


def parse_import(text: str) -> list[dict[str, Any]]:
    """Return the `users` entries of an import document.

    Expected shape::

        users:
          - email: ada@example.com
            name: Ada Lovelace
            roles: [editor]
    """
    try:
        document = yaml.load(text, Loader=yaml.Loader)
    except yaml.YAMLError as exc:
        raise ImportFormatError(f"not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("users"), list):
        raise ImportFormatError("expected a mapping with a 'users' list")
    entries = document["users"]
    if not all(isinstance(entry, dict) for entry in entries):
        raise ImportFormatError("every user entry must be a mapping")
    return entries
