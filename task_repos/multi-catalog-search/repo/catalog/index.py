"""Full-text product search for the storefront."""

from collections import Counter
from dataclasses import dataclass

from catalog import text
from catalog.ranking import Hit, top_hits

TITLE_WEIGHT = 3.0


@dataclass(frozen=True)
class Product:
    sku: str
    title: str
    description: str


class SearchIndex:
    """Keeps the catalogue in memory and answers keyword queries."""

    def __init__(self) -> None:
        self._products: dict[str, Product] = {}

    def add(self, product: Product) -> None:
        self._products[product.sku] = product

    def remove(self, sku: str) -> None:
        self._products.pop(sku, None)

    def __len__(self) -> int:
        return len(self._products)

    def _score(self, product: Product, terms: set[str]) -> float:
        title_counts = Counter(text.tokenize(product.title))
        body_counts = Counter(text.tokenize(product.description))
        return sum(TITLE_WEIGHT * title_counts[term] + body_counts[term] for term in terms)

    def search(self, query: str, limit: int = 10) -> list[Hit]:
        """Products matching any query word; title matches weigh three times more."""
        terms = set(text.tokenize(query))
        if not terms:
            return []
        hits = []
        for product in self._products.values():
            score = self._score(product, terms)
            if score > 0:
                hits.append(Hit(product.sku, product.title, score))
        return top_hits(hits, limit)
