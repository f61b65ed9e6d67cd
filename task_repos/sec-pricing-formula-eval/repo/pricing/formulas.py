"""Merchant-defined price formulas.

Merchants type short formulas such as ``base * 0.9 + shipping`` or ``max(base - 5, 1)`` into the
admin UI. A formula is evaluated against the numeric variables of one cart line.
"""

from collections.abc import Mapping
from dataclasses import dataclass

FUNCTIONS = {"min": min, "max": max, "round": round, "abs": abs}


class FormulaError(ValueError):
    """Raised when a formula is invalid or cannot be evaluated."""


def evaluate(formula: str, variables: Mapping[str, float]) -> float:
    """Evaluate ``formula`` with the given variables and return the result as a float."""
    namespace = {**FUNCTIONS, **variables}
    try:
        value = eval(formula, {"__builtins__": {}}, namespace)
    except (SyntaxError, NameError, TypeError, ZeroDivisionError) as exc:
        raise FormulaError(f"cannot evaluate {formula!r}: {exc}") from exc
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormulaError(f"{formula!r} did not produce a number")
    return float(value)


@dataclass(frozen=True)
class PriceRule:
    """A formula that applies to every SKU starting with ``sku_prefix``."""

    sku_prefix: str
    formula: str


def unit_price(sku: str, base: float, rules: list[PriceRule], **extra: float) -> float:
    """Price of one unit of ``sku``: the first matching rule wins, otherwise ``base``."""
    for rule in rules:
        if sku.startswith(rule.sku_prefix):
            price = evaluate(rule.formula, {"base": base, **extra})
            if price < 0:
                raise FormulaError(f"rule for {rule.sku_prefix!r} produced a negative price")
            return round(price, 2)
    return base
