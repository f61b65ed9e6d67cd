import json

import pytest


@pytest.fixture
def locale_dir(tmp_path):
    (tmp_path / "de.json").write_text(
        json.dumps({"cart.title": "Warenkorb", "cart.items": "{count} Artikel", "nav.home": "Startseite"}),
        encoding="utf-8",
    )
    (tmp_path / "broken.json").write_text("[1, 2]", encoding="utf-8")
    return tmp_path
