"""Numbers for the admin dashboard's start page."""

from dataclasses import dataclass

from shopadmin.storage import STATUSES, OrderStore


@dataclass(frozen=True)
class DashboardStats:
    total: int
    by_status: dict[str, int]
    latest_ids: list[int]


def dashboard_stats(store: OrderStore, latest: int = 5) -> DashboardStats:
    """Order counts per status and the ids of the newest orders.

    Shops on the enterprise plan have millions of orders.
    """
    by_status = {status: store.count(status=status) for status in STATUSES}
    latest_ids = [order.id for order in store.list_orders(limit=latest)]
    return DashboardStats(total=sum(by_status.values()), by_status=by_status, latest_ids=latest_ids)
