import json

from webhooks.receiver import WebhookReceiver, compute_signature, verify_delivery

KEY = b"whk_test_4f9a"
NOW = 1_700_000_000


class SignatureProbe(str):
    """A header value that claims equality with anything it is compared to via ==."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__


def test_signature_is_not_checked_with_plain_equality():
    body = b'{"type": "payment.succeeded", "amount": 1000000}'
    headers = {
        "X-Webhook-Timestamp": str(NOW),
        "X-Webhook-Signature": SignatureProbe("sha256=" + "f" * 64),
    }
    assert verify_delivery(KEY, headers, body, now=NOW) is False


def test_forged_delivery_is_not_dispatched():
    received = []
    receiver = WebhookReceiver(KEY, clock=lambda: NOW)
    receiver.on("payment.succeeded", received.append)
    body = json.dumps({"type": "payment.succeeded", "id": "evt_forged"}).encode()
    headers = {
        "X-Webhook-Timestamp": str(NOW),
        "X-Webhook-Signature": SignatureProbe("sha256=deadbeef"),
    }
    assert receiver.handle(headers, body) == 401
    assert received == []


def test_non_ascii_signature_is_rejected_not_crashing():
    body = b'{"type": "payment.succeeded"}'
    headers = {"X-Webhook-Timestamp": str(NOW), "X-Webhook-Signature": "sha256=\u00e9" * 8}
    assert verify_delivery(KEY, headers, body, now=NOW) is False


def test_tampered_body_is_rejected():
    body = b'{"type": "payment.succeeded", "amount": 10}'
    ts = str(NOW)
    headers = {
        "X-Webhook-Timestamp": ts,
        "X-Webhook-Signature": compute_signature(KEY, ts, body),
    }
    assert verify_delivery(KEY, headers, body.replace(b"10", b"99"), now=NOW) is False


def test_valid_signature_within_skew_is_accepted():
    body = b'{"type": "payment.succeeded"}'
    ts = str(NOW + 120)
    headers = {
        "X-Webhook-Timestamp": ts,
        "X-Webhook-Signature": compute_signature(KEY, ts, body),
    }
    assert verify_delivery(KEY, headers, body, now=NOW) is True


def test_non_numeric_timestamp_is_rejected():
    body = b"{}"
    headers = {"X-Webhook-Timestamp": "\u00b2", "X-Webhook-Signature": "sha256=00"}
    assert verify_delivery(KEY, headers, body, now=NOW) is False
