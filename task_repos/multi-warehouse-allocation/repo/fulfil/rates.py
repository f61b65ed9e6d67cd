"""Shipping rate cards stored as JSON weight bands."""

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class RateBand:
    max_kg: Decimal
    price: Decimal


def load_rates(path: Path) -> list[RateBand]:
    """Read the rate card at `path`; bands are returned lightest first."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    bands = [
        RateBand(Decimal(str(item["max_kg"])), Decimal(str(item["price"])))
        for item in raw["bands"]
    ]
    if not bands:
        raise ValueError(f"rate card {path} has no bands")
    return sorted(bands, key=lambda band: band.max_kg)
