from datetime import date
from decimal import Decimal

import pytest

from loyalty.earning import points_for_purchase
from loyalty.ledger import PointsLedger
from loyalty.tiers import BASE, points_to_next, tier_for


def test_tier_lookup():
    assert tier_for(0) is BASE
    assert tier_for(1200).name == "silver"
    assert tier_for(9000).name == "platinum"


def test_negative_balance_rejected():
    with pytest.raises(ValueError):
        tier_for(-1)


def test_points_to_next():
    assert points_to_next(100) == 400
    assert points_to_next(2500) == 2500
    assert points_to_next(6000) is None


def test_cents_do_not_earn():
    assert points_for_purchase(Decimal("19.99"), tier_for(0)) == 19
    assert points_for_purchase(Decimal("10.00"), tier_for(2500)) == 20


def test_ledger_balance():
    ledger = PointsLedger()
    ledger.record(date(2024, 1, 10), 300)
    ledger.record(date(2024, 2, 1), 250)
    assert ledger.balance(date(2024, 3, 1)) == 550
    assert ledger.balance(date(2025, 1, 20)) == 250


def test_purchase_uses_current_tier():
    ledger = PointsLedger()
    ledger.record(date(2024, 1, 1), 600)
    assert ledger.record_purchase(date(2024, 1, 2), Decimal("50.50")) == 50
    assert ledger.balance(date(2024, 1, 2)) == 650
