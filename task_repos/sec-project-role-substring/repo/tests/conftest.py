import pytest

from workspace.service import ProjectService
from workspace.store import ProjectStore


@pytest.fixture
def store():
    store = ProjectStore()
    store.create("acme", "Website")
    store.create("acme", "Mobile app")
    store.create("globex", "Payroll")
    return store


@pytest.fixture
def service(store):
    return ProjectService(store)
