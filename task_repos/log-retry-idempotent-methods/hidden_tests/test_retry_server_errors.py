import pytest

from httpclient.client import send_with_retry
from httpclient.retry import RetryPolicy


@pytest.mark.parametrize("method", ["GET", "get", "HEAD", "PUT", "DELETE"])
def test_server_error_retried_for_idempotent_methods(server, sleeps, method):
    send = server(503, 200)
    assert send_with_retry(send, method, RetryPolicy(), sleeps.append).status == 200
    assert send.calls == 2


@pytest.mark.parametrize("method", ["POST", "PATCH", "post"])
def test_server_error_not_retried_for_non_idempotent_methods(server, sleeps, method):
    send = server(500, 200)
    assert send_with_retry(send, method, RetryPolicy(), sleeps.append).status == 500
    assert send.calls == 1
    assert sleeps == []


def test_persistent_server_error_stops_at_max_attempts(server, sleeps):
    send = server(502)
    assert send_with_retry(send, "GET", RetryPolicy(max_attempts=3), sleeps.append).status == 502
    assert send.calls == 3


def test_should_retry_matrix():
    policy = RetryPolicy()
    assert policy.should_retry("GET", 500, 1)
    assert not policy.should_retry("POST", 500, 1)
    assert policy.should_retry("POST", 429, 1)
    assert not policy.should_retry("GET", 400, 1)
    assert not policy.should_retry("GET", 500, 3)
