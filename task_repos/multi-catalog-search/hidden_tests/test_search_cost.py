import pytest

from catalog import text
from catalog.index import Product, SearchIndex


@pytest.fixture
def calls(monkeypatch):
    seen: list[str] = []
    original = text.tokenize

    def counting(value: str) -> list[str]:
        seen.append(value)
        return original(value)

    monkeypatch.setattr(text, "tokenize", counting)
    return seen


def build(count: int) -> SearchIndex:
    index = SearchIndex()
    for n in range(count):
        index.add(Product(f"SKU{n:04d}", f"Widget {n} deluxe", f"Useful widget number {n} in steel"))
    return index


def test_catalogue_not_retokenised_per_query(calls):
    index = build(200)
    for query in ["widget", "steel deluxe", "number 17", "widget 12", "nothing"] * 4:
        index.search(query, limit=5)
    assert len(calls) <= 200 * 2 + 20 * 2 + 100


def test_results_unchanged_by_indexing():
    index = build(30)
    hits = index.search("deluxe 17", limit=50)
    assert len(hits) == 30
    assert hits[0].sku == "SKU0017"
    assert hits[0].score == 7.0


def test_added_after_search_is_found():
    index = build(5)
    index.search("widget")
    index.add(Product("NEW1", "Gizmo", "Shiny gizmo"))
    assert [hit.sku for hit in index.search("gizmo")] == ["NEW1"]


def test_replaced_product_uses_new_text():
    index = build(3)
    index.add(Product("SKU0001", "Gadget", "No longer a widget"))
    index.remove("SKU0002")
    assert [hit.sku for hit in index.search("gadget")] == ["SKU0001"]
    assert "SKU0002" not in [hit.sku for hit in index.search("widget")]
