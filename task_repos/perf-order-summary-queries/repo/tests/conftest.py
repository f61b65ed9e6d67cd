from decimal import Decimal

import pytest

from crm.repository import Order, OrderRepository


@pytest.fixture
def sample_repo():
    return OrderRepository(
        [
            Order(1, 7, Decimal("20.00"), "paid"),
            Order(2, 7, Decimal("5.50"), "open"),
            Order(3, 8, Decimal("99.00"), "cancelled"),
            Order(4, 9, Decimal("12.25"), "paid"),
            Order(5, 7, Decimal("1.00"), "paid"),
        ]
    )
