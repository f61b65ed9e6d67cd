"""URL slugs for blog posts."""

import re
import unicodedata
from collections.abc import Iterable

SEPARATORS = re.compile(r"[^a-z0-9]+")


def slugify(title: str, max_length: int = 60) -> str:
    """Lower-case ASCII slug of `title`: words joined by "-", at most `max_length` characters.

    Accents are stripped ("Café" -> "cafe"); a title without any usable characters becomes "post".
    Long slugs are cut at a word boundary.
    """
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = SEPARATORS.sub("-", ascii_title.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0]
    return slug or "post"


def unique_slugs(titles: Iterable[str]) -> list[str]:
    """Slugs for a batch of titles (e.g. a blog import); repeats get -2, -3, ... suffixes."""
    seen: dict[str, int] = {}
    slugs = []
    for title in titles:
        base = slugify(title)
        seen[base] = seen.get(base, 0) + 1
        slugs.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
    return slugs
