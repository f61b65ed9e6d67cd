from datetime import datetime, timedelta

import pytest

from invites.service import TeamInvites
from invites.store import InvitationStore


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 9, 2, 10, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store():
    return InvitationStore()


@pytest.fixture
def invites(store, clock):
    return TeamInvites(store, clock)
