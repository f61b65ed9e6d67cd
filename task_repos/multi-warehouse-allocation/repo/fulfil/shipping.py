"""Shipping quotes for dispatch batches."""

from decimal import Decimal
from pathlib import Path

from fulfil.rates import RateBand, load_rates


class ShippingQuoter:
    """Prices parcels with the rate card at `rates_path`."""

    def __init__(self, rates_path: Path) -> None:
        self.rates_path = rates_path

    def bands(self) -> list[RateBand]:
        return load_rates(self.rates_path)

    def parcel_cost(self, weight_kg: Decimal) -> Decimal:
        """Price of the lightest band that can carry `weight_kg`."""
        if weight_kg <= 0:
            raise ValueError("weight must be positive")
        for band in self.bands():
            if weight_kg <= band.max_kg:
                return band.price
        raise ValueError(f"no rate band carries {weight_kg} kg")

    def quote(self, parcels: list[Decimal]) -> Decimal:
        """Total shipping cost of a batch of parcel weights."""
        return sum((self.parcel_cost(weight) for weight in parcels), Decimal("0"))
