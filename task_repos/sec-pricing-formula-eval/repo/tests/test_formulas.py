import pytest

from pricing.formulas import FormulaError, PriceRule, evaluate, unit_price


def test_discount_plus_shipping():
    assert evaluate("base * 0.9 + shipping", {"base": 20, "shipping": 4.5}) == pytest.approx(22.5)


def test_operator_precedence_and_parentheses():
    assert evaluate("2 + 3 * 4", {}) == 14.0
    assert evaluate("(2 + 3) * 4", {}) == 20.0


def test_builtin_helpers():
    assert evaluate("max(base - 5, 1)", {"base": 3}) == 1.0
    assert evaluate("min(base, 10)", {"base": 12}) == 10.0


def test_unknown_variable_is_rejected():
    with pytest.raises(FormulaError):
        evaluate("base * markup", {"base": 10})


def test_syntax_error_is_rejected():
    with pytest.raises(FormulaError):
        evaluate("base *", {"base": 10})


def test_first_matching_rule_wins():
    rules = [PriceRule("MUG-", "base * 0.8"), PriceRule("M", "base + 100")]
    assert unit_price("MUG-01", 10.0, rules) == 8.0
    assert unit_price("MAT-02", 10.0, rules) == 110.0


def test_no_rule_keeps_base_price():
    assert unit_price("TEE-XL", 19.99, [PriceRule("MUG-", "base / 2")]) == 19.99


def test_negative_price_is_rejected():
    with pytest.raises(FormulaError):
        unit_price("MUG-01", 5.0, [PriceRule("MUG-", "base - coupon")], coupon=10)
