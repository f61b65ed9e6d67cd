from decimal import Decimal

import pytest

from payments.fees import FeeSchedule, net_payout, processing_fee

STANDARD = FeeSchedule(percent=Decimal("0.029"), fixed=Decimal("0.30"))


def test_fee_without_vat():
    assert processing_fee(Decimal("100.00"), STANDARD) == Decimal("3.20")


def test_fee_is_rounded_to_cents():
    assert processing_fee(Decimal("12.34"), STANDARD) == Decimal("0.66")


def test_flat_only_plan_with_vat():
    plan = FeeSchedule(percent=Decimal("0"), fixed=Decimal("0.25"), vat_rate=Decimal("0.20"))
    assert processing_fee(Decimal("80.00"), plan) == Decimal("0.30")


def test_negative_amount_rejected():
    with pytest.raises(ValueError):
        processing_fee(Decimal("-1"), STANDARD)


def test_net_payout_subtracts_fees():
    assert net_payout([Decimal("100.00"), Decimal("50.00")], STANDARD) == Decimal("145.05")


def test_empty_batch():
    assert net_payout([], STANDARD) == Decimal("0")
