from catalog.index import Product, SearchIndex
from catalog.ranking import Hit, top_hits


def test_limit_applies_after_sorting():
    hits = [Hit(f"S{n}", "x", float(n % 5)) for n in range(20)]
    best = top_hits(hits, 3)
    assert [hit.score for hit in best] == [4.0, 4.0, 4.0]
    assert [hit.sku for hit in best] == ["S14", "S19", "S4"]


def test_search_returns_best_products_first():
    index = SearchIndex()
    for n in range(8):
        index.add(Product(f"B{n}", "Basic mug", "mug"))
    index.add(Product("Z9", "Mug mug deluxe", "mug mug"))
    hits = index.search("mug", limit=2)
    assert [hit.sku for hit in hits] == ["Z9", "B0"]


def test_fewer_hits_than_limit():
    hits = [Hit("A", "a", 2.0), Hit("B", "b", 3.0)]
    assert [hit.sku for hit in top_hits(hits, 10)] == ["B", "A"]
