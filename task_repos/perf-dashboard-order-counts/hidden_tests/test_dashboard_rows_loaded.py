from datetime import datetime, timedelta

from shopadmin.dashboard import dashboard_stats
from shopadmin.storage import STATUSES, Order, OrderStore


class MeteredStore(OrderStore):
    """Counts the order rows materialised by queries."""

    def __init__(self, orders=()) -> None:
        super().__init__(orders)
        self.rows_loaded = 0

    def list_orders(self, status=None, limit=None):
        rows = super().list_orders(status=status, limit=limit)
        self.rows_loaded += len(rows)
        return rows


def big_store(n):
    start = datetime(2023, 6, 1)
    return MeteredStore(Order(i, STATUSES[i % 4], start + timedelta(seconds=i)) for i in range(n))


def test_counts_do_not_load_rows():
    store = big_store(4000)
    stats = dashboard_stats(store, latest=5)
    assert stats.total == 4000
    assert stats.by_status == {"pending": 1000, "paid": 1000, "shipped": 1000, "cancelled": 1000}
    assert store.rows_loaded <= 5


def test_only_latest_rows_are_loaded():
    store = big_store(1000)
    stats = dashboard_stats(store, latest=10)
    assert stats.latest_ids == list(range(999, 989, -1))
    assert store.rows_loaded <= 10
