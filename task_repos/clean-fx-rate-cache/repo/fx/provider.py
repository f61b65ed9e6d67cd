"""Exchange-rate provider interface."""

from decimal import Decimal
from typing import Protocol


class RateProvider(Protocol):
    def fetch(self, base: str, quote: str) -> Decimal:
        """Units of `quote` per one unit of `base` (one HTTP call to the rates vendor)."""
        ...


class UnknownCurrencyError(LookupError):
    pass


def validate_code(code: str) -> str:
    code = code.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise UnknownCurrencyError(f"not an ISO 4217 code: {code!r}")
    return code
