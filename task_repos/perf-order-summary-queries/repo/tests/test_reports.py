from decimal import Decimal

from crm.reports import CustomerSummary, customer_summaries, top_customers


def test_summary_fields(sample_repo):
    assert customer_summaries(sample_repo, [7]) == [CustomerSummary(7, 3, Decimal("21.00"), 1)]


def test_cancelled_orders_are_ignored(sample_repo):
    assert customer_summaries(sample_repo, [8]) == [CustomerSummary(8, 0, Decimal("0"), 0)]


def test_customer_without_orders(sample_repo):
    assert customer_summaries(sample_repo, [42]) == [CustomerSummary(42, 0, Decimal("0"), 0)]


def test_requested_order_is_kept(sample_repo):
    ids = [s.customer_id for s in customer_summaries(sample_repo, [9, 42, 7])]
    assert ids == [9, 42, 7]


def test_top_customers(sample_repo):
    assert top_customers(sample_repo, [7, 8, 9], limit=2) == [7, 9]


def test_empty_request(sample_repo):
    assert customer_summaries(sample_repo, []) == []
