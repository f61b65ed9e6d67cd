import pytest

from httpclient.client import Response


class ScriptedServer:
    """Returns the scripted statuses in order and records every call."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.calls = 0

    def __call__(self) -> Response:
        status = self.statuses[min(self.calls, len(self.statuses) - 1)]
        self.calls += 1
        return Response(status)


@pytest.fixture
def server():
    return ScriptedServer


@pytest.fixture
def sleeps():
    return []
