from decimal import Decimal

from payments.fees import FeeSchedule, net_payout, processing_fee

EU_PLAN = FeeSchedule(percent=Decimal("0.029"), fixed=Decimal("0.30"), vat_rate=Decimal("0.20"))


def test_vat_applies_to_percentage_part_too():
    # (2.90 + 0.30) * 1.20
    assert processing_fee(Decimal("100.00"), EU_PLAN) == Decimal("3.84")


def test_percentage_only_plan_with_vat():
    plan = FeeSchedule(percent=Decimal("0.01"), fixed=Decimal("0"), vat_rate=Decimal("0.25"))
    assert processing_fee(Decimal("200.00"), plan) == Decimal("2.50")


def test_net_payout_with_vat():
    assert net_payout([Decimal("100.00"), Decimal("100.00")], EU_PLAN) == Decimal("192.32")


def test_zero_vat_unchanged():
    plan = FeeSchedule(percent=Decimal("0.029"), fixed=Decimal("0.30"), vat_rate=Decimal("0"))
    assert processing_fee(Decimal("100.00"), plan) == Decimal("3.20")
