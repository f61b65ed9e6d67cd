import json
from decimal import Decimal
from pathlib import Path

import pytest

from fulfil.shipping import ShippingQuoter


@pytest.fixture
def rate_card(tmp_path):
    path = tmp_path / "rates.json"
    path.write_text(json.dumps({"bands": [
        {"max_kg": 2, "price": "4.00"},
        {"max_kg": 10, "price": "9.00"},
    ]}))
    return path


@pytest.fixture
def reads(monkeypatch):
    seen: list[Path] = []
    original = Path.read_text

    def counting(self, *args, **kwargs):
        seen.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", counting)
    return seen


def test_rate_card_not_reread_per_parcel(rate_card, reads):
    quoter = ShippingQuoter(rate_card)
    quoter.quote([Decimal("1.5")] * 200)
    quoter.quote([Decimal("8")] * 200)
    assert len(reads) <= 2


def test_batch_quote_total(rate_card):
    quoter = ShippingQuoter(rate_card)
    assert quoter.quote([Decimal("1.5")] * 3 + [Decimal("2.5")]) == Decimal("21.00")


def test_empty_batch_costs_nothing(rate_card):
    assert ShippingQuoter(rate_card).quote([]) == Decimal("0")
