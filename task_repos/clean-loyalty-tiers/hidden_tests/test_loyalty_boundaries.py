from datetime import date, timedelta
from decimal import Decimal

from loyalty.earning import points_for_purchase
from loyalty.ledger import PointsLedger
from loyalty.tiers import tier_for


def test_thresholds_are_inclusive():
    assert tier_for(499).name == "member"
    assert tier_for(500).name == "silver"
    assert tier_for(1999).name == "silver"
    assert tier_for(2000).name == "gold"
    assert tier_for(5000).name == "platinum"


def test_entry_valid_on_last_day_and_gone_after():
    ledger = PointsLedger()
    ledger.record(date(2024, 3, 1), 100)
    last_day = date(2024, 3, 1) + timedelta(days=365)
    assert ledger.balance(last_day) == 100
    assert ledger.balance(last_day + timedelta(days=1)) == 0


def test_future_entries_not_counted():
    ledger = PointsLedger()
    ledger.record(date(2024, 6, 1), 100)
    assert ledger.balance(date(2024, 5, 31)) == 0


def test_reaching_gold_exactly_changes_multiplier():
    ledger = PointsLedger()
    ledger.record(date(2024, 1, 1), 2000)
    assert ledger.record_purchase(date(2024, 1, 5), Decimal("10")) == 20


def test_small_purchase_books_nothing():
    ledger = PointsLedger()
    assert ledger.record_purchase(date(2024, 1, 5), Decimal("0.99")) == 0
    assert ledger.balance(date(2024, 1, 5)) == 0
    assert points_for_purchase(Decimal("1.00"), tier_for(0)) == 1
