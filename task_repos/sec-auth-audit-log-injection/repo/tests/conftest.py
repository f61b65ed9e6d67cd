import io
import logging

import pytest

from authaudit.events import configure_audit_log


@pytest.fixture
def audit_stream():
    stream = io.StringIO()
    handler = configure_audit_log(stream)
    try:
        yield stream
    finally:
        logging.getLogger("auth.audit").removeHandler(handler)
