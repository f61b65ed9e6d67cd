from decimal import Decimal

from crm.reports import customer_summaries, top_customers
from crm.repository import Order, OrderRepository


class CountingRepository(OrderRepository):
    """Counts round trips to the storage backend."""

    def __init__(self, orders=()) -> None:
        super().__init__(orders)
        self.queries = 0

    def orders_for_customer(self, customer_id):
        self.queries += 1
        return super().orders_for_customer(customer_id)

    def orders_for_customers(self, customer_ids):
        self.queries += 1
        return super().orders_for_customers(customer_ids)


def make_orders(customers, per_customer):
    statuses = ["paid", "open", "paid", "cancelled"]
    return [
        Order(
            id=customer_id * 1000 + n,
            customer_id=customer_id,
            total=Decimal(10 * customer_id + n),
            status=statuses[n % len(statuses)],
        )
        for customer_id in range(1, customers + 1)
        for n in range(per_customer)
    ]


def test_summaries_use_a_constant_number_of_queries():
    repo = CountingRepository(make_orders(customers=60, per_customer=4))
    summaries = customer_summaries(repo, list(range(1, 61)))
    assert len(summaries) == 60
    assert repo.queries <= 2


def test_query_count_does_not_grow_with_customers():
    small = CountingRepository(make_orders(customers=5, per_customer=2))
    large = CountingRepository(make_orders(customers=200, per_customer=2))
    customer_summaries(small, list(range(1, 6)))
    customer_summaries(large, list(range(1, 201)))
    assert large.queries <= max(2, small.queries)


def test_batched_results_are_correct():
    repo = CountingRepository(make_orders(customers=3, per_customer=4))
    summaries = customer_summaries(repo, [3, 99, 1])
    assert [s.customer_id for s in summaries] == [3, 99, 1]
    # customer 3: paid 30 + paid 32, open 31, cancelled 33
    assert summaries[0].order_count == 3
    assert summaries[0].lifetime_value == Decimal("62")
    assert summaries[0].open_orders == 1
    assert summaries[1].order_count == 0


def test_top_customers_batched():
    repo = CountingRepository(make_orders(customers=50, per_customer=3))
    assert top_customers(repo, list(range(1, 51)), limit=3) == [50, 49, 48]
    assert repo.queries <= 2
