from datetime import datetime

import pytest

from shopadmin.dashboard import DashboardStats, dashboard_stats
from shopadmin.storage import Order, OrderStore


def test_counts_per_status(store):
    stats = dashboard_stats(store)
    assert stats.by_status == {"pending": 6, "paid": 6, "shipped": 6, "cancelled": 2}
    assert stats.total == 20


def test_latest_orders_newest_first(store):
    assert dashboard_stats(store, latest=3).latest_ids == [20, 19, 18]


def test_empty_store():
    assert dashboard_stats(OrderStore()) == DashboardStats(
        total=0, by_status={"pending": 0, "paid": 0, "shipped": 0, "cancelled": 0}, latest_ids=[]
    )


def test_store_rejects_unknown_status():
    with pytest.raises(ValueError):
        OrderStore().add(Order(1, "lost", datetime(2024, 1, 1)))


def test_store_count_and_list_agree(store):
    assert store.count("paid") == len(store.list_orders(status="paid"))
