from decimal import Decimal

import pytest

from manufacturing.bom import CostCalculator, Part, UnknownPartError

PARTS = {
    "SCREW": Part("SCREW", Decimal("0.05")),
    "PANEL": Part("PANEL", Decimal("3.20")),
    "LEG": Part("LEG", Decimal("1.10"), (("SCREW", 2),)),
    "FRAME": Part("FRAME", Decimal("4.00"), (("PANEL", 2), ("SCREW", 8))),
    "TABLE": Part("TABLE", Decimal("12.00"), (("FRAME", 1), ("LEG", 4), ("SCREW", 4))),
}


def test_purchased_part():
    assert CostCalculator(PARTS).unit_cost("SCREW") == Decimal("0.05")


def test_assembly_with_quantities():
    assert CostCalculator(PARTS).unit_cost("FRAME") == Decimal("10.80")


def test_nested_assembly():
    # 12.00 + 10.80 + 4 * 1.20 + 4 * 0.05
    assert CostCalculator(PARTS).unit_cost("TABLE") == Decimal("27.80")


def test_price_list():
    prices = CostCalculator(PARTS).price_list(["LEG", "PANEL"])
    assert prices == {"LEG": Decimal("1.20"), "PANEL": Decimal("3.20")}


def test_unknown_part():
    with pytest.raises(UnknownPartError):
        CostCalculator(PARTS).unit_cost("CHAIR")


def test_unknown_component():
    parts = {"KIT": Part("KIT", Decimal("1"), (("GHOST", 1),))}
    with pytest.raises(UnknownPartError):
        CostCalculator(parts).unit_cost("KIT")
