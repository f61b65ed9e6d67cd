import pytest

from docstore.service import DocumentService
from docstore.storage import DocumentStorage
from docstore.versions import latest_file, next_version


@pytest.fixture
def service(tmp_path):
    return DocumentService(DocumentStorage(tmp_path / "docs"))


def test_latest_uses_numeric_order():
    names = [f"v{n}.txt" for n in range(1, 12)]
    assert latest_file(names) == "v11.txt"
    assert next_version(names) == 12


def test_tenth_revision_is_current(service):
    for n in range(1, 11):
        service.publish("faq", f"rev {n}")
    assert service.current("faq") == "rev 10"


def test_eleventh_publish_keeps_tenth_revision(service):
    for n in range(1, 11):
        service.publish("faq", f"rev {n}")
    assert service.publish("faq", "rev 11") == 11
    assert service.revision("faq", 10) == "rev 10"
    assert service.history("faq") == list(range(1, 12))


def test_unrelated_files_ignored():
    assert latest_file(["v2.txt", "draft.txt", "v10.bak"]) == "v2.txt"
    assert next_version([]) == 1
