import json

from hooks.signing import sign, verify

KEY = b"whk_test_0123456789"
NOW = 1_700_000_000


class AlwaysEqual(str):
    """A header value whose equality check always succeeds."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = str.__hash__


def test_signature_not_compared_with_eq():
    forged = AlwaysEqual("f" * 64)
    assert not verify(KEY, str(NOW), b"{}", forged, now=NOW)


def test_forged_delivery_rejected_by_receiver(receiver, processor):
    received = []
    processor.on("payout.created")(received.append)
    body = json.dumps({"id": "evt_9", "type": "payout.created", "data": {"to": "attacker"}}).encode()
    headers = {"X-Hook-Timestamp": str(NOW), "X-Hook-Signature": AlwaysEqual("0" * 64)}
    assert receiver.handle(headers, body) == 401
    assert received == []


def test_genuine_signature_still_accepted():
    body = b'{"id": "evt_10"}'
    assert verify(KEY, str(NOW), body, sign(KEY, str(NOW), body), now=NOW)
