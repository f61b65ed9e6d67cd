import json

import pytest

from payouts.ledger import PayoutLedger
from payouts.signature import expected_signature
from payouts.webhook import PayoutWebhook

KEY = b"pk_webhook_test_key"
NOW = 1_710_000_000


@pytest.fixture
def ledger():
    return PayoutLedger()


@pytest.fixture
def webhook(ledger):
    return PayoutWebhook(KEY, ledger, clock=lambda: NOW)


@pytest.fixture
def send(webhook):
    def _send(event, *, timestamp=NOW, key=KEY, header=None):
        payload = json.dumps(event).encode()
        if header is None:
            header = f"t={timestamp},v1={expected_signature(key, timestamp, payload)}"
        return webhook.handle({"Payout-Signature": header}, payload)

    return _send
