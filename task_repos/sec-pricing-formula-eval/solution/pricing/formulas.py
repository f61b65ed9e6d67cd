"""Merchant-defined price formulas.

Merchants type short formulas such as ``base * 0.9 + shipping`` or ``max(base - 5, 1)`` into the
admin UI. A formula is evaluated against the numeric variables of one cart line.
"""

import ast
import operator
from collections.abc import Mapping
from dataclasses import dataclass

FUNCTIONS = {"min": min, "max": max, "round": round, "abs": abs}
_BINARY_OPS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Mod: operator.mod,
}
_UNARY_OPS = {ast.UAdd: operator.pos, ast.USub: operator.neg}


class FormulaError(ValueError):
    """Raised when a formula is invalid or cannot be evaluated."""


def evaluate(formula: str, variables: Mapping[str, float]) -> float:
    """Evaluate ``formula`` with the given variables and return the result as a float."""
    try:
        value = _eval_node(ast.parse(formula, mode="eval").body, variables)
    except (SyntaxError, TypeError, ZeroDivisionError) as exc:
        raise FormulaError(f"cannot evaluate {formula!r}: {exc}") from exc
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FormulaError(f"{formula!r} did not produce a number")
    return float(value)


def _eval_node(node: ast.AST, variables: Mapping[str, float]) -> float:
    """Evaluate a parsed formula that may only use numbers, variables, arithmetic and FUNCTIONS."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in variables:
            raise FormulaError(f"unknown variable {node.id!r}")
        return variables[node.id]
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_OPS:
        return _BINARY_OPS[type(node.op)](_eval_node(node.left, variables), _eval_node(node.right, variables))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY_OPS:
        return _UNARY_OPS[type(node.op)](_eval_node(node.operand, variables))
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in FUNCTIONS
        and not node.keywords
    ):
        return FUNCTIONS[node.func.id](*(_eval_node(arg, variables) for arg in node.args))
    raise FormulaError(f"unsupported expression: {ast.unparse(node)!r}")


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
