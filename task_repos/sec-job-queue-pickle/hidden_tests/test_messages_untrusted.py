import base64
import pickle

import pytest

from jobs.messages import Job, MessageError, decode_job, encode_job


class _OpensFile:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def test_crafted_message_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    message = _b64(pickle.dumps(_OpensFile(str(marker))))
    with pytest.raises(ValueError):
        decode_job(message)
    assert not marker.exists()


def test_code_hidden_in_arguments_does_not_run(tmp_path):
    marker = tmp_path / "pwned-args"
    message = _b64(pickle.dumps({"name": "sync", "args": {"x": _OpensFile(str(marker))}}))
    try:
        decode_job(message)
    except ValueError:
        pass
    assert not marker.exists()


def test_empty_message_is_rejected():
    with pytest.raises(MessageError):
        decode_job("")


def test_message_without_name_is_rejected():
    message = encode_job(Job("x"))
    good = decode_job(message)
    assert good.name == "x"
    with pytest.raises(MessageError):
        decode_job(_b64(b"[1, 2, 3]"))


def test_nested_arguments_round_trip():
    job = Job("report", {"filters": {"status": ["open", "paid"], "min_total": 10.5}, "dry_run": True})
    assert decode_job(encode_job(job)) == job
