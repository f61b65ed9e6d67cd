import pytest

from payouts.signature import SignatureError, parse_header


def paid(event_id="evt_1", payout_id="po_1"):
    return {"id": event_id, "type": "payout.paid", "data": {"payout_id": payout_id}}


def test_parse_header_with_two_signatures():
    assert parse_header("t=12,v1=aa,v1=bb") == (12, ["aa", "bb"])


def test_parse_header_rejects_garbage():
    with pytest.raises(SignatureError):
        parse_header("v1=aa")


def test_signed_event_updates_ledger(send, ledger):
    assert send(paid()) == 200
    assert ledger.get("po_1").status == "paid"


def test_wrong_key_unauthorised(send, ledger):
    assert send(paid(), key=b"other") == 401
    assert ledger.get("po_1").status == "pending"


def test_malformed_payload(webhook):
    assert webhook.handle({"Payout-Signature": "t=1,v1=00"}, b"not json") == 401


def test_final_status_not_overwritten(send, ledger):
    send(paid("evt_1"))
    send({"id": "evt_2", "type": "payout.in_transit", "data": {"payout_id": "po_1"}})
    assert ledger.get("po_1").status == "paid"
