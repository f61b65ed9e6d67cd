import json

from payouts.signature import expected_signature

KEY = b"pk_webhook_test_key"
NOW = 1_710_000_000


def event(event_id="evt_9", kind="payout.failed", payout_id="po_9"):
    return {"id": event_id, "type": kind, "data": {"payout_id": payout_id}}


def test_replayed_old_delivery_rejected(send, ledger):
    assert send(event(), timestamp=NOW - 301) == 401
    assert ledger.get("po_9").status == "pending"


def test_future_dated_delivery_rejected(send):
    assert send(event(), timestamp=NOW + 301) == 401


def test_boundary_of_tolerance_accepted(send):
    assert send(event(), timestamp=NOW - 300) == 200


def test_rotated_key_second_signature_accepted(webhook, ledger):
    payload = json.dumps(event()).encode()
    header = f"t={NOW},v1={'0' * 64},v1={expected_signature(KEY, NOW, payload)}"
    assert webhook.handle({"Payout-Signature": header}, payload) == 200
    assert ledger.get("po_9").status == "failed"


def test_signature_for_other_timestamp_rejected(webhook):
    payload = json.dumps(event()).encode()
    header = f"t={NOW},v1={expected_signature(KEY, NOW - 1, payload)}"
    assert webhook.handle({"Payout-Signature": header}, payload) == 401


def test_duplicate_event_applied_once(send, ledger):
    assert send(event("evt_a", "payout.in_transit")) == 200
    assert send(event("evt_b", "payout.cancelled")) == 200
    assert send(event("evt_a", "payout.in_transit")) == 200
    assert ledger.get("po_9").status == "cancelled"


def test_tampered_payload_rejected(webhook):
    payload = json.dumps(event()).encode()
    header = f"t={NOW},v1={expected_signature(KEY, NOW, payload)}"
    assert webhook.handle({"Payout-Signature": header}, payload.replace(b"po_9", b"po_1")) == 401


def test_missing_header(webhook):
    assert webhook.handle({}, b"{}") == 401
