from datetime import datetime, timedelta

import pytest

from shopadmin.storage import STATUSES, Order, OrderStore

START = datetime(2024, 1, 1, 8, 0)


def make_orders(n):
    return [Order(i, STATUSES[i % 3 if i % 10 else 3], START + timedelta(minutes=i)) for i in range(1, n + 1)]


@pytest.fixture
def store():
    return OrderStore(make_orders(20))
