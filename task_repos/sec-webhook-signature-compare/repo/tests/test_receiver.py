import json

from webhooks.receiver import WebhookReceiver, compute_signature, verify_delivery

KEY = b"whk_test_4f9a"
NOW = 1_700_000_000


def signed_headers(body: bytes, timestamp: int = NOW) -> dict[str, str]:
    ts = str(timestamp)
    return {
        "X-Webhook-Timestamp": ts,
        "X-Webhook-Signature": compute_signature(KEY, ts, body),
    }


def make_receiver():
    received = []
    receiver = WebhookReceiver(KEY, clock=lambda: NOW)
    receiver.on("payment.succeeded", received.append)
    return receiver, received


def test_valid_delivery_is_dispatched():
    receiver, received = make_receiver()
    body = json.dumps({"type": "payment.succeeded", "id": "evt_1"}).encode()
    assert receiver.handle(signed_headers(body), body) == 204
    assert received == [{"type": "payment.succeeded", "id": "evt_1"}]


def test_wrong_signature_is_rejected():
    receiver, received = make_receiver()
    body = b'{"type": "payment.succeeded"}'
    headers = signed_headers(body)
    headers["X-Webhook-Signature"] = "sha256=" + "0" * 64
    assert receiver.handle(headers, body) == 401
    assert received == []


def test_stale_delivery_is_rejected():
    body = b'{"type": "payment.succeeded"}'
    assert not verify_delivery(KEY, signed_headers(body, NOW - 3600), body, now=NOW)


def test_missing_headers_are_rejected():
    assert not verify_delivery(KEY, {}, b"{}", now=NOW)


def test_malformed_json_is_bad_request():
    receiver, _ = make_receiver()
    body = b"not json"
    assert receiver.handle(signed_headers(body), body) == 400
