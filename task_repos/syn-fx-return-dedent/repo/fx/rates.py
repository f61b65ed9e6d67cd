"""Exchange rates against the euro and conversion between currencies."""

from decimal import Decimal

from fx.rounding import round_money

BASE = "EUR"
_RATES: dict[str, str] = {"EUR": "1", "USD": "1.0850", "GBP": "0.8560", "JPY": "162.40"}


def current_rates() -> dict[str, Decimal]:
    """A copy of the configured rates, as units of each currency per euro."""
return {code: Decimal(rate) for code, rate in _RATES.items()}


def update_rates(feed: dict[str, str]) -> None:
    """Apply rates from the finance feed; every rate must be a positive number."""
    for code, rate in feed.items():
        if Decimal(rate) <= 0:
            raise ValueError(f"rate for {code} must be positive")
    _RATES.update({code.upper(): rate for code, rate in feed.items()})


def convert(amount: Decimal, source: str, target: str) -> Decimal:
    """Convert ``amount`` from ``source`` to ``target`` via the euro, rounded for ``target``."""
    rates = current_rates()
    try:
        in_base = amount / rates[source.upper()]
        result = in_base * rates[target.upper()]
    except KeyError as exc:
        raise ValueError(f"no rate for {exc.args[0]}") from None
    return round_money(result, target)
