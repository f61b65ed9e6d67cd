"""Order storage used by the CRM reports."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Order:
    id: int
    customer_id: int
    total: Decimal
    status: str  # "open", "paid" or "cancelled"


class OrderRepository:
    """Order access layer.

    This in-memory implementation backs tests and local development; the production subclass
    runs one SQL query per method call.
    """

    def __init__(self, orders: Iterable[Order] = ()) -> None:
        self._orders = list(orders)

    def orders_for_customer(self, customer_id: int) -> list[Order]:
        """All orders of one customer, oldest first."""
        return [order for order in self._orders if order.customer_id == customer_id]

    def orders_for_customers(self, customer_ids: Iterable[int]) -> dict[int, list[Order]]:
        """Orders of several customers in one round trip, keyed by customer id.

        Every requested id is present in the result, with an empty list if it has no orders.
        """
        grouped: dict[int, list[Order]] = {customer_id: [] for customer_id in customer_ids}
        for order in self._orders:
            if order.customer_id in grouped:
                grouped[order.customer_id].append(order)
        return grouped
