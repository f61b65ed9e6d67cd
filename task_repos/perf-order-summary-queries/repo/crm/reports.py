"""Customer value report for the account managers' dashboard."""

from dataclasses import dataclass
from decimal import Decimal

from crm.repository import OrderRepository


@dataclass(frozen=True)
class CustomerSummary:
    customer_id: int
    order_count: int
    lifetime_value: Decimal
    open_orders: int


def customer_summaries(repo: OrderRepository, customer_ids: list[int]) -> list[CustomerSummary]:
    """One summary per requested customer, in the requested order.

    Lifetime value is the total of paid orders; cancelled orders are not counted at all.
    """
    summaries = []
    for customer_id in customer_ids:
        orders = [o for o in repo.orders_for_customer(customer_id) if o.status != "cancelled"]
        paid = sum((o.total for o in orders if o.status == "paid"), Decimal("0"))
        open_count = sum(1 for o in orders if o.status == "open")
        summaries.append(CustomerSummary(customer_id, len(orders), paid, open_count))
    return summaries


def top_customers(repo: OrderRepository, customer_ids: list[int], limit: int = 10) -> list[int]:
    """Ids of the customers with the highest lifetime value, best first."""
    summaries = customer_summaries(repo, customer_ids)
    ranked = sorted(summaries, key=lambda s: (-s.lifetime_value, s.customer_id))
    return [s.customer_id for s in ranked[:limit]]
