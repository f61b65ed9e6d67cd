import pytest

from pricing.formulas import FormulaError, PriceRule, evaluate, unit_price


def test_sandbox_escape_cannot_write_files(tmp_path):
    marker = tmp_path / "pwned"
    formula = (
        "[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'catch_warnings'][0]()"
        f"._module.__builtins__['open']({str(marker)!r}, 'w').write('x')"
    )
    with pytest.raises(FormulaError):
        evaluate(formula, {"base": 1})
    assert not marker.exists()


def test_lambda_is_not_a_formula():
    with pytest.raises(FormulaError):
        evaluate("(lambda: 7)()", {})


def test_comprehension_is_not_a_formula():
    with pytest.raises(FormulaError):
        evaluate("sum([base for _ in range(3)]) and 1", {"base": 2})


def test_import_is_rejected():
    with pytest.raises(FormulaError):
        evaluate("__import__('os').getpid()", {})


def test_attribute_access_is_rejected():
    with pytest.raises(FormulaError):
        evaluate("base.__class__", {"base": 1.0})


def test_division_by_zero_is_a_formula_error():
    with pytest.raises(FormulaError):
        evaluate("base / qty", {"base": 10, "qty": 0})


def test_unary_minus_modulo_and_rounding():
    assert evaluate("-base + 30", {"base": 10}) == 20.0
    assert evaluate("qty % 3", {"qty": 10}) == 1.0
    assert evaluate("round(base * 1.0725, 2)", {"base": 19.99}) == pytest.approx(21.44)


def test_rule_with_extra_variables():
    rules = [PriceRule("TEE-", "abs(base - coupon) * (1 + tax)")]
    assert unit_price("TEE-S", 20.0, rules, coupon=5, tax=0.2) == 18.0
