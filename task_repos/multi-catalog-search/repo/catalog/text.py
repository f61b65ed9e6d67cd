"""Text normalisation shared by indexing and querying."""

import re
import unicodedata

_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case and strip accents: 'Crème Brûlée' -> 'creme brulee'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def tokenize(text: str) -> list[str]:
    """Words of at least two characters, in order of appearance."""
    return [word for word in _WORD.findall(normalise(text)) if len(word) > 1]
