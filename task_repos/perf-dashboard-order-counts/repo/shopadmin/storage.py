"""Order table access for the shop admin."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

STATUSES = ("pending", "paid", "shipped", "cancelled")


@dataclass(frozen=True)
class Order:
    id: int
    status: str
    created_at: datetime


class OrderStore:
    """Order table. Each method is a single query in the database-backed implementation.

    `list_orders` materialises full order rows (newest first); `count` only returns a number.
    """

    def __init__(self, orders: Iterable[Order] = ()) -> None:
        self._rows = list(orders)

    def add(self, order: Order) -> None:
        if order.status not in STATUSES:
            raise ValueError(f"unknown status {order.status!r}")
        self._rows.append(order)

    def list_orders(self, status: str | None = None, limit: int | None = None) -> list[Order]:
        rows = [row for row in self._rows if status is None or row.status == status]
        rows.sort(key=lambda row: row.created_at, reverse=True)
        return rows if limit is None else rows[:limit]

    def count(self, status: str | None = None) -> int:
        return sum(1 for row in self._rows if status is None or row.status == status)
