from datetime import date

import pytest

from members.service import DuplicateMemberError


def test_search_is_case_insensitive(directory):
    assert [m.name for m in directory.find("LOVE")] == ["Ada Lovelace"]


def test_short_queries_return_nothing(directory):
    assert directory.find("a") == []


def test_duplicate_email_rejected(directory):
    with pytest.raises(DuplicateMemberError):
        directory.register("Ada", " ADA@example.com", "Paris", date(2024, 2, 2))


def test_browse_by_name(directory):
    assert [m.name for m in directory.browse()] == ["Ada Lovelace", "alan turing", "Grace Hopper"]


def test_browse_newest_first(directory):
    assert [m.email for m in directory.browse("newest")][0] == "grace@example.com"


def test_paging(directory):
    assert [m.name for m in directory.browse("name", page=2, per_page=2)] == ["Grace Hopper"]
