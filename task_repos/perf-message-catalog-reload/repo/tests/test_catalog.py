import pytest

from i18n.catalog import MessageCatalog


def test_get_translation(locale_dir):
    assert MessageCatalog(locale_dir, "de").get("cart.title") == "Warenkorb"


def test_placeholders(locale_dir):
    assert MessageCatalog(locale_dir, "de").get("cart.items", count=3) == "3 Artikel"


def test_missing_key_falls_back_to_key(locale_dir):
    assert MessageCatalog(locale_dir, "de").get("checkout.pay") == "checkout.pay"


def test_translate_all(locale_dir):
    catalog = MessageCatalog(locale_dir, "de")
    assert catalog.translate_all(["nav.home", "cart.title", "x"]) == {
        "nav.home": "Startseite",
        "cart.title": "Warenkorb",
        "x": "x",
    }


def test_unknown_locale(locale_dir):
    with pytest.raises(FileNotFoundError):
        MessageCatalog(locale_dir, "fr").get("cart.title")


def test_catalog_must_be_an_object(locale_dir):
    with pytest.raises(ValueError):
        MessageCatalog(locale_dir, "broken").get("cart.title")
