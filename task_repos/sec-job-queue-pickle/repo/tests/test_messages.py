import pytest

from jobs.messages import Job, MessageError, decode_job, encode_job, next_attempt


def test_round_trip():
    job = Job("send_invoice", {"invoice_id": 42, "to": ["a@example.com"], "cc": None}, attempts=1)
    assert decode_job(encode_job(job)) == job


def test_message_is_ascii_text():
    message = encode_job(Job("resize_image", {"path": "photos/ü.png", "width": 640}))
    assert isinstance(message, str)
    message.encode("ascii")


def test_decode_accepts_bytes():
    message = encode_job(Job("ping"))
    assert decode_job(message.encode("ascii")) == Job("ping")


def test_garbage_is_rejected():
    with pytest.raises(MessageError):
        decode_job("not base64 at all!")


def test_next_attempt_counts_up_then_gives_up():
    job = Job("sync", attempts=3)
    assert next_attempt(job) == Job("sync", attempts=4)
    assert next_attempt(Job("sync", attempts=4)) is None
