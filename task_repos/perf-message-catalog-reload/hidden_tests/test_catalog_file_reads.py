import builtins
import json
from pathlib import Path

from i18n import catalog as catalog_module
from i18n.catalog import MessageCatalog


def count_opens(monkeypatch):
    """Record every file the catalog module opens, via open() or Path.open/read_text."""
    opened = []
    original_path_open = Path.open

    def counting_open(file, *args, **kwargs):
        opened.append(str(file))
        return builtins.open(file, *args, **kwargs)

    def counting_path_open(self, *args, **kwargs):
        opened.append(str(self))
        return original_path_open(self, *args, **kwargs)

    monkeypatch.setattr(catalog_module, "open", counting_open, raising=False)
    monkeypatch.setattr(Path, "open", counting_path_open)
    return opened


def test_page_translation_reads_catalog_once(locale_dir, monkeypatch):
    opened = count_opens(monkeypatch)
    catalog = MessageCatalog(locale_dir, "de")
    keys = [f"key.{n}" for n in range(200)] + ["cart.title"]
    result = catalog.translate_all(keys)
    assert result["cart.title"] == "Warenkorb"
    assert len(opened) <= 1


def test_repeated_get_reads_catalog_once(locale_dir, monkeypatch):
    opened = count_opens(monkeypatch)
    catalog = MessageCatalog(locale_dir, "de")
    for n in range(100):
        assert catalog.get("cart.items", count=n) == f"{n} Artikel"
    assert len(opened) <= 1


def test_catalogs_of_different_locales_are_separate(tmp_path):
    (tmp_path / "de.json").write_text(json.dumps({"hello": "Hallo"}), encoding="utf-8")
    (tmp_path / "nl.json").write_text(json.dumps({"hello": "Hoi"}), encoding="utf-8")
    de = MessageCatalog(tmp_path, "de")
    nl = MessageCatalog(tmp_path, "nl")
    assert de.get("hello") == "Hallo"
    assert nl.get("hello") == "Hoi"
    assert de.translate_all(["hello"]) == {"hello": "Hallo"}
