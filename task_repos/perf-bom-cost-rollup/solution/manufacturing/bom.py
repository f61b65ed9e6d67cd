"""Bill-of-materials cost roll-up."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Part:
    """A purchased part or an assembly.

    own_cost:   purchase price of a bought part, or assembly labour for an assembly.
    components: (part number, quantity) pairs an assembly is built from.
    """

    number: str
    own_cost: Decimal
    components: tuple[tuple[str, int], ...] = ()


class UnknownPartError(KeyError):
    pass


class CostCalculator:
    """Rolls component costs up through the bill of materials.

    Sub-assemblies are shared between many products, so the same part number appears in
    many places of the structure. The parts master data does not change while a calculator
    is in use.
    """

    def __init__(self, parts: Mapping[str, Part]) -> None:
        self._parts = parts
        self._costs: dict[str, Decimal] = {}

    def _part(self, number: str) -> Part:
        try:
            return self._parts[number]
        except KeyError:
            raise UnknownPartError(number) from None

    def unit_cost(self, number: str) -> Decimal:
        """Own cost of the part plus the cost of all its components, recursively."""
        if number in self._costs:
            return self._costs[number]
        part = self._part(number)
        total = part.own_cost
        for component, quantity in part.components:
            total += self.unit_cost(component) * quantity
        self._costs[number] = total
        return total

    def price_list(self, numbers: Iterable[str]) -> dict[str, Decimal]:
        return {number: self.unit_cost(number) for number in numbers}
