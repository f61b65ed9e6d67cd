import pytest

from notify.templates import subject_for


def test_subject_fills_placeholders():
    assert subject_for("invoice", product="Acme", number="2024-17") == "Your Acme invoice 2024-17"


def test_subject_keeps_missing_placeholders():
    assert subject_for("welcome") == "Welcome to $product"


def test_unknown_kind():
    with pytest.raises(ValueError):
        subject_for("newsletter")
