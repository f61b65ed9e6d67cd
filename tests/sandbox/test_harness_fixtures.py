"""pytest's fixtures in a graded run: the harness answers pytest's fixture scan of its own plugins from a table made
once in the warm process (sandbox/harness/pytest_child.py, `FIXTURE_HOLDERS`); every built-in fixture must still
be there, a conftest's or a test module's fixture must still override a built-in one, and the harness's own change
to pytest must not read as a patch, under every runner."""

from __future__ import annotations

from sandbox.types import Limits, RunRequest, RunStatus

LIMITS = Limits(wall_s=30.0, cpu_s=20, memory_mb=384, pids=64, file_mb=8, disk_mb=32)
SOURCE = "def double(x):\n    return 2 * x\n"
CONFTEST = """import pytest


@pytest.fixture
def answer():
    return 42


@pytest.fixture(autouse=True)
def marker(monkeypatch):
    monkeypatch.setenv("AUTOUSE_MARKER", "set")
"""
BUILTINS = """import logging
import os
import warnings

import pytest

from calc.core import double


def test_tmp_path_and_factory(tmp_path, tmp_path_factory, tmpdir):
    (tmp_path / "f.txt").write_text("x")
    assert (tmp_path / "f.txt").read_text() == "x"
    assert tmp_path_factory.mktemp("more").is_dir() and tmpdir.check(dir=1)


def test_monkeypatch_and_conftest(monkeypatch, answer):
    monkeypatch.setattr("calc.core.double", lambda x: 0)
    from calc import core
    assert core.double(3) == 0 and answer == 42 and os.environ["AUTOUSE_MARKER"] == "set"


def test_capture(capsys):
    print("hello")
    assert capsys.readouterr().out == "hello\\n"


def test_capture_fd(capfd):
    os.write(1, b"raw")
    assert capfd.readouterr().out == "raw"


def test_caplog_and_recwarn(caplog, recwarn):
    logging.getLogger("calc").warning("careful")
    warnings.warn("old", DeprecationWarning)
    assert "careful" in caplog.text and len(recwarn) == 1


def test_request_and_config(request, pytestconfig):
    assert request.node.name == "test_request_and_config" and pytestconfig is request.config


def test_subtests(subtests):
    for i in range(2):
        with subtests.test(i=i):
            assert double(i) == 2 * i


class TestHolder:
    @pytest.fixture
    def base(self):
        return 5

    def test_class_fixture(self, base):
        assert double(base) == 10
"""
SUB_CONFTEST = """import pytest


@pytest.fixture
def capsys():
    return "the conftest's capsys"
"""
OVERRIDES = """import pytest


@pytest.fixture
def tmp_path():
    return "the module's tmp_path"


def test_overrides(capsys, tmp_path):
    assert capsys == "the conftest's capsys" and tmp_path == "the module's tmp_path"
"""
EXPECTED = {
    **{f"tests/test_builtins.py::{name}": "passed" for name in (
        "test_tmp_path_and_factory", "test_monkeypatch_and_conftest", "test_capture", "test_capture_fd",
        "test_caplog_and_recwarn", "test_request_and_config", "test_subtests", "TestHolder::test_class_fixture")},
    "tests/sub/test_overrides.py::test_overrides": "passed",
}


def test_builtin_and_overriding_fixtures_work_in_a_graded_run(runner) -> None:
    files = {"calc/__init__.py": b"", "calc/core.py": SOURCE.encode(), "tests/conftest.py": CONFTEST.encode(),
             "tests/test_builtins.py": BUILTINS.encode(), "tests/sub/conftest.py": SUB_CONFTEST.encode(),
             "tests/sub/test_overrides.py": OVERRIDES.encode()}
    result = runner.run(RunRequest(files=files, source_files=("calc/core.py",), limits=LIMITS, run_tools=False))
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    record = ((result.report or {}).get("pytest") or {}).get("result") or {}
    outcomes = {test: outcome for test, outcome in record.get("outcomes", {}).items() if "[" not in test}
    assert outcomes == EXPECTED, (record, (result.report or {}).get("pytest", {}).get("output_tail"))
    assert not (record.get("integrity") or {}).get("violations"), record["integrity"]  # the harness's own changes

