from datetime import datetime

import pytest

from authflow.service import ResetError
from authflow.store import ResetRecord, ResetTokenStore


def test_token_cannot_be_replayed(service, passwords):
    token = service.request_reset("ada@example.com")
    service.reset_password(token, "first new password")
    with pytest.raises(ResetError):
        service.reset_password(token, "attacker password!")
    assert passwords["ada@example.com"] == "first new password"


def test_store_redeem_consumes_record():
    store = ResetTokenStore()
    record = ResetRecord("a@example.com", datetime(2024, 3, 1, 9, 0))
    store.save("d1", record)
    assert store.redeem("d1") == record
    assert store.redeem("d1") is None


def test_other_accounts_tokens_unaffected(service, passwords):
    a = service.request_reset("a@example.com")
    b = service.request_reset("b@example.com")
    service.reset_password(a, "password for a!")
    assert service.reset_password(b, "password for b!") == "b@example.com"
