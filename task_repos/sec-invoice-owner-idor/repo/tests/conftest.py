from datetime import date

import pytest

from billing.repository import InvoiceRepository
from billing.routes import InvoiceRoutes
from billing.service import BillingService


@pytest.fixture
def repo():
    repo = InvoiceRepository()
    repo.add("alice", 12_000, date(2024, 1, 5))
    repo.add("alice", 3_500, date(2024, 2, 5))
    repo.add("bob", 990, date(2024, 2, 1))
    return repo


@pytest.fixture
def routes(repo):
    return InvoiceRoutes(BillingService(repo))
