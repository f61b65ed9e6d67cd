from datetime import datetime, timedelta

import pytest

from audit.api import BadRequestError, list_audit
from audit.entries import AuditLog
from audit.paging import paginate


@pytest.fixture
def log():
    audit = AuditLog()
    start = datetime(2024, 4, 1, 8, 0)
    for n in range(60):
        audit.record("acme", "ada" if n % 3 else "bob", f"action {n}", start + timedelta(minutes=n))
    audit.record("globex", "eve", "other tenant", start)
    return audit


def test_first_page_newest_first(log):
    body = list_audit(log, "acme", {})
    assert body["per_page"] == 25
    assert body["total"] == 60
    assert body["items"][0]["action"] == "action 59"
    assert body["has_next"] is True


def test_actor_filter(log):
    body = list_audit(log, "acme", {"actor": "bob", "per_page": "50"})
    assert body["total"] == 20
    assert all(item["actor"] == "bob" for item in body["items"])


def test_other_tenant_invisible(log):
    assert list_audit(log, "globex", {})["total"] == 1


def test_non_numeric_page(log):
    with pytest.raises(BadRequestError):
        list_audit(log, "acme", {"page": "two"})


def test_paginate_middle_page():
    page = paginate(list(range(10)), 2, 4)
    assert page.items == [4, 5, 6, 7]
    assert page.pages == 3
