import json

import pytest

from hooks.events import EventProcessor
from hooks.receiver import WebhookReceiver
from hooks.signing import sign

KEY = b"whk_test_0123456789"
NOW = 1_700_000_000


@pytest.fixture
def processor():
    return EventProcessor()


@pytest.fixture
def receiver(processor):
    return WebhookReceiver(KEY, processor, clock=lambda: NOW)


@pytest.fixture
def deliver(receiver):
    def _deliver(event, *, timestamp=NOW, signature=None):
        body = json.dumps(event).encode()
        ts = str(timestamp)
        sig = sign(KEY, ts, body) if signature is None else signature
        return receiver.handle({"X-Hook-Timestamp": ts, "X-Hook-Signature": sig}, body)

    return _deliver
