import pytest

from httpclient.client import send_with_retry
from httpclient.retry import RetryPolicy


def test_success_is_not_retried(server, sleeps):
    send = server(200)
    response = send_with_retry(send, "GET", RetryPolicy(), sleeps.append)
    assert response.status == 200
    assert send.calls == 1
    assert sleeps == []


def test_client_error_is_not_retried(server, sleeps):
    send = server(404, 200)
    assert send_with_retry(send, "GET", RetryPolicy(), sleeps.append).status == 404
    assert send.calls == 1


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH"])
def test_rate_limit_is_retried_for_any_method(server, sleeps, method):
    send = server(429, 200)
    assert send_with_retry(send, method, RetryPolicy(), sleeps.append).status == 200
    assert send.calls == 2
    assert sleeps == [0.5]


def test_gives_up_after_max_attempts(server, sleeps):
    send = server(429)
    response = send_with_retry(send, "POST", RetryPolicy(max_attempts=4), sleeps.append)
    assert response.status == 429
    assert send.calls == 4
    assert sleeps == [0.5, 1.0, 2.0]


def test_backoff_is_capped():
    policy = RetryPolicy(base_delay=1.0, max_delay=5.0)
    assert [policy.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]


def test_single_attempt_policy_never_retries():
    assert not RetryPolicy(max_attempts=1).should_retry("GET", 429, 1)
