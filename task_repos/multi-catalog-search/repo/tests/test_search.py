import pytest

from catalog.index import Product, SearchIndex
from catalog.ranking import Hit, top_hits
from catalog.text import normalise, tokenize


def test_normalise_strips_accents():
    assert normalise("Crème Brûlée") == "creme brulee"


def test_tokenize_drops_single_letters():
    assert tokenize("A cast-iron Pan, 28cm!") == ["cast", "iron", "pan", "28cm"]


@pytest.fixture
def index():
    idx = SearchIndex()
    idx.add(Product("P1", "Cast iron pan", "Heavy pan for searing"))
    idx.add(Product("P2", "Steel wok", "Carbon steel, great for stir fry"))
    idx.add(Product("P3", "Pan lid", "Glass lid that fits most pans"))
    return idx


def test_title_matches_rank_first(index):
    hits = index.search("pan")
    assert [hit.sku for hit in hits] == ["P1", "P3"]
    assert hits[0].score == 4.0


def test_accent_insensitive_query(index):
    assert [hit.sku for hit in index.search("WÓK")] == ["P2"]


def test_no_match_and_empty_query(index):
    assert index.search("kettle") == []
    assert index.search("  !! ") == []


def test_removed_product_not_found(index):
    index.remove("P2")
    assert index.search("wok") == []
    assert len(index) == 2


def test_top_hits_tie_break_by_sku():
    hits = [Hit("B", "b", 1.0), Hit("A", "a", 1.0)]
    assert [hit.sku for hit in top_hits(hits, 5)] == ["A", "B"]
