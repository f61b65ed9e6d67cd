from datetime import datetime, timedelta

import pytest

from authflow.service import PasswordResetService
from authflow.store import ResetTokenStore


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 3, 1, 9, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def passwords():
    return {}


@pytest.fixture
def service(clock, passwords):
    return PasswordResetService(ResetTokenStore(), passwords.__setitem__, clock)
