from datetime import datetime

import pytest

from audit.api import BadRequestError, list_audit
from audit.entries import AuditLog
from audit.paging import MAX_PER_PAGE, paginate


def make_log(count):
    log = AuditLog()
    for n in range(count):
        log.record("acme", "ada", f"a{n}", datetime(2024, 1, 1, 0, n % 60, n // 60))
    return log


def test_last_page_is_partial_and_final():
    body = list_audit(make_log(60), "acme", {"page": "3"})
    assert len(body["items"]) == 10
    assert body["pages"] == 3
    assert body["has_next"] is False


def test_exact_multiple_has_no_extra_page():
    body = list_audit(make_log(50), "acme", {"page": "2"})
    assert len(body["items"]) == 25
    assert body["pages"] == 2
    assert body["has_next"] is False


def test_pages_do_not_overlap_or_skip():
    log = make_log(60)
    seen = []
    for page in (1, 2, 3):
        seen += [item["id"] for item in list_audit(log, "acme", {"page": str(page)})["items"]]
    assert sorted(seen) == list(range(1, 61))


def test_per_page_clamped():
    log = make_log(150)
    assert list_audit(log, "acme", {"per_page": "1000"})["per_page"] == MAX_PER_PAGE
    assert len(list_audit(log, "acme", {"per_page": "-5"})["items"]) == 1


def test_page_zero_and_negative_rejected():
    for value in ("0", "-1"):
        with pytest.raises(BadRequestError):
            list_audit(make_log(3), "acme", {"page": value})
    with pytest.raises(ValueError):
        paginate([1, 2], 0, 10)


def test_beyond_last_page_empty():
    body = list_audit(make_log(5), "acme", {"page": "4"})
    assert body["items"] == []
    assert body["total"] == 5


def test_empty_log_has_one_page():
    body = list_audit(AuditLog(), "acme", {})
    assert (body["pages"], body["has_next"], body["items"]) == (1, False, [])
