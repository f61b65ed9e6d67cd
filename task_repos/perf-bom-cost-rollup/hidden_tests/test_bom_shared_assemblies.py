from collections.abc import Mapping
from decimal import Decimal

from manufacturing.bom import CostCalculator, Part


class CountingParts(Mapping):
    """Parts master data that counts lookups."""

    def __init__(self, parts):
        self._parts = dict(parts)
        self.lookups = 0

    def __getitem__(self, number):
        self.lookups += 1
        return self._parts[number]

    def __iter__(self):
        return iter(self._parts)

    def __len__(self):
        return len(self._parts)


def layered_bom(levels):
    """Every assembly on level n uses both assemblies of level n - 1."""
    parts = {"A0": Part("A0", Decimal("1")), "B0": Part("B0", Decimal("2"))}
    for n in range(1, levels + 1):
        children = ((f"A{n - 1}", 1), (f"B{n - 1}", 1))
        parts[f"A{n}"] = Part(f"A{n}", Decimal("0"), children)
        parts[f"B{n}"] = Part(f"B{n}", Decimal("1"), children)
    return parts


def test_shared_subassemblies_are_costed_once():
    parts = CountingParts(layered_bom(14))
    cost = CostCalculator(parts).unit_cost("A14")
    assert cost == Decimal(2**15 - 1)
    assert parts.lookups <= 3 * len(parts)


def test_price_list_over_whole_catalog():
    parts = CountingParts(layered_bom(12))
    prices = CostCalculator(parts).price_list(sorted(parts))
    assert prices["A0"] == Decimal("1")
    assert prices["B1"] == Decimal("4")
    assert prices["A12"] == Decimal(2**13 - 1)
    assert parts.lookups <= 3 * len(parts)


def test_small_structure_still_correct():
    parts = CountingParts(layered_bom(2))
    assert CostCalculator(parts).unit_cost("B2") == Decimal("8")
