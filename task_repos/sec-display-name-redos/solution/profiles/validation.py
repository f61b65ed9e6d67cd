"""Validation of public profile fields submitted from the settings page."""

import re
from typing import Any

MAX_DISPLAY_NAME = 64
MAX_BIO = 280

HANDLE_RE = re.compile(r"[a-z][a-z0-9_]{2,29}")
DISPLAY_NAME_RE = re.compile(r"[A-Za-z0-9]+(?: [A-Za-z0-9]+)*")
WEBSITE_RE = re.compile(r"https?://[^\s/?#]+(?:[/?#]\S*)?")


def is_valid_handle(handle: str) -> bool:
    """Handles are 3-30 lowercase characters, digits or underscores, starting with a letter."""
    return HANDLE_RE.fullmatch(handle) is not None


def is_valid_display_name(name: str) -> bool:
    """Display names are words of letters and digits separated by single spaces."""
    if not name or len(name) > MAX_DISPLAY_NAME:
        return False
    return DISPLAY_NAME_RE.fullmatch(name) is not None


def validate_profile(data: dict[str, Any]) -> dict[str, str]:
    """Return a mapping of field name to error message; empty when the profile is valid."""
    errors: dict[str, str] = {}
    handle = data.get("handle", "")
    if not isinstance(handle, str) or not is_valid_handle(handle):
        errors["handle"] = "Use 3-30 lowercase letters, digits or underscores."
    name = data.get("display_name", "")
    if not isinstance(name, str) or not is_valid_display_name(name):
        errors["display_name"] = "Use letters and digits separated by single spaces."
    bio = data.get("bio", "")
    if not isinstance(bio, str) or len(bio) > MAX_BIO:
        errors["bio"] = f"At most {MAX_BIO} characters."
    website = data.get("website") or ""
    if website and (not isinstance(website, str) or WEBSITE_RE.fullmatch(website) is None):
        errors["website"] = "Enter an http(s) address."
    return errors
