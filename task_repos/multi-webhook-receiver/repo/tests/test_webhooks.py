from hooks.signing import sign, verify

KEY = b"whk_test_0123456789"
NOW = 1_700_000_000


def test_valid_signature_verifies():
    sig = sign(KEY, str(NOW), b"{}")
    assert verify(KEY, str(NOW), b"{}", sig, now=NOW + 10)


def test_tampered_body_rejected():
    sig = sign(KEY, str(NOW), b'{"amount": 1}')
    assert not verify(KEY, str(NOW), b'{"amount": 9}', sig, now=NOW)


def test_stale_timestamp_rejected():
    sig = sign(KEY, str(NOW), b"{}")
    assert not verify(KEY, str(NOW), b"{}", sig, now=NOW + 301)


def test_delivery_dispatched(processor, deliver):
    received = []
    processor.on("invoice.paid")(received.append)
    assert deliver({"id": "evt_1", "type": "invoice.paid", "data": {"amount": 5}}) == 200
    assert received == [{"amount": 5}]


def test_duplicate_acknowledged_once(processor, deliver):
    received = []
    processor.on("invoice.paid")(received.append)
    event = {"id": "evt_2", "type": "invoice.paid", "data": {}}
    assert deliver(event) == 200
    assert deliver(event) == 208
    assert len(received) == 1


def test_missing_headers(receiver):
    assert receiver.handle({}, b"{}") == 400


def test_wrong_signature_unauthorised(deliver):
    assert deliver({"id": "evt_3", "type": "x"}, signature="0" * 64) == 401
