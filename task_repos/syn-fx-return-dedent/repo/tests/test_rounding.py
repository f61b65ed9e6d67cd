from decimal import Decimal

from fx.rounding import minor_units, round_money


def test_default_two_decimals():
    assert round_money(Decimal("10.005"), "EUR") == Decimal("10.00")


def test_yen_has_no_decimals():
    assert round_money(Decimal("1234.5"), "jpy") == Decimal("1234")


def test_dinar_three_decimals():
    assert minor_units("KWD") == 3
