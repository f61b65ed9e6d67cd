"""Translated UI messages loaded from per-locale JSON files."""

import json
from collections.abc import Iterable
from pathlib import Path


class MessageCatalog:
    """UI strings of one locale, read from `<directory>/<locale>.json`.

    Catalog files are deployed together with the release and do not change while the
    process runs. Unknown keys fall back to the key itself so missing translations stay
    visible without breaking the page.
    """

    def __init__(self, directory: Path, locale: str) -> None:
        self.directory = Path(directory)
        self.locale = locale

    @property
    def path(self) -> Path:
        return self.directory / f"{self.locale}.json"

    def _messages(self) -> dict[str, str]:
        with open(self.path, encoding="utf-8") as fh:
            messages = json.load(fh)
        if not isinstance(messages, dict):
            raise ValueError(f"{self.path}: expected a JSON object")
        return messages

    def get(self, key: str, **params: object) -> str:
        """Translated message for `key`, with `{name}` placeholders filled from `params`."""
        template = self._messages().get(key, key)
        return template.format(**params) if params else template

    def translate_all(self, keys: Iterable[str]) -> dict[str, str]:
        """Translations for many keys at once, e.g. for a whole page."""
        return {key: self.get(key) for key in keys}
