import pytest

from hooks.events import EventProcessor


def test_failed_handler_allows_retry():
    processor = EventProcessor()
    attempts = []

    @processor.on("order.shipped")
    def handler(data):
        attempts.append(data)
        if len(attempts) == 1:
            raise RuntimeError("warehouse API down")

    event = {"id": "evt_7", "type": "order.shipped", "data": {"order": 42}}
    with pytest.raises(RuntimeError):
        processor.process(event)
    assert not processor.seen("evt_7")
    assert processor.process(event) is True
    assert len(attempts) == 2
    assert processor.process(event) is False


def test_receiver_redelivery_after_500(processor, deliver):
    calls = []

    @processor.on("refund.created")
    def handler(data):
        calls.append(data)
        if len(calls) == 1:
            raise ConnectionError("ledger unavailable")

    event = {"id": "evt_8", "type": "refund.created", "data": {"amount": 3}}
    assert deliver(event) == 500
    assert deliver(event) == 200
    assert deliver(event) == 208
    assert len(calls) == 2


def test_unknown_type_marked_processed():
    processor = EventProcessor()
    assert processor.process({"id": "evt_x", "type": "nobody.cares"}) is True
    assert processor.seen("evt_x")
