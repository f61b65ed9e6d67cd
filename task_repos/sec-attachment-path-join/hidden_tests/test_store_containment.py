import os

import pytest

from attachments.store import AttachmentStore


@pytest.fixture
def layout(tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "payroll.csv").write_text("alice,100000\n")
    store = AttachmentStore(tmp_path / "attachments")
    return store, outside


def test_absolute_name_cannot_read_outside_root(layout):
    store, outside = layout
    with pytest.raises(PermissionError):
        store.read(str(outside / "payroll.csv"))


def test_absolute_name_cannot_write_outside_root(layout):
    store, outside = layout
    target = outside / "planted.txt"
    with pytest.raises(PermissionError):
        store.save(str(target), b"owned")
    assert not target.exists()


def test_absolute_name_cannot_delete_outside_root(layout):
    store, outside = layout
    with pytest.raises(PermissionError):
        store.delete(str(outside / "payroll.csv"))
    assert (outside / "payroll.csv").exists()


def test_symlink_inside_root_cannot_escape(layout):
    store, outside = layout
    os.symlink(outside, store.root / "shared")
    with pytest.raises(PermissionError):
        store.read("shared/payroll.csv")


def test_names_containing_double_dots_in_filename_are_fine(layout):
    store, _ = layout
    store.save("reports/summary..v2.txt", b"ok")
    assert store.read("reports/summary..v2.txt") == b"ok"


def test_dot_prefixed_relative_name_is_inside_root(layout):
    store, _ = layout
    store.save("./1042/log.txt", b"log")
    assert store.read("1042/log.txt") == b"log"
    assert store.list("1042") == ["1042/log.txt"]
