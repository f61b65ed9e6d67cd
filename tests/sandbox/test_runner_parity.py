"""Runner parity of the process the code under test runs in: the same string hashes (hash randomisation off,
PYTHONHASHSEED=0), hence the same set and dict-of-set orders, in the test process and in any interpreter it starts,
and the same time zone and encodings, under every runner. A task whose tests depend on a set's order then gets one
verdict everywhere and in every run."""

from __future__ import annotations

import os
import subprocess
import sys

from sandbox.types import Limits, RunRequest, RunStatus

LIMITS = Limits(wall_s=30.0, cpu_s=20, memory_mb=384, pids=64, file_mb=8, disk_mb=32)
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"]
PROBE = """import json
import subprocess
import sys

EXPECTED = json.loads({expected!r})
CHILD = "import json; print(json.dumps([hash('autocoderl'), list(set({words!r}))]))"


def test_hash_randomisation_is_off():
    assert sys.flags.hash_randomization == 0


def test_string_hashes_and_set_order_are_the_seed_zero_ones():
    assert [hash("autocoderl"), list(set({words!r}))] == EXPECTED


def test_time_zone_and_encoding():
    import locale
    import os
    import time

    assert (os.environ.get("TZ"), os.environ.get("LANG")) == ("UTC", "C.UTF-8")
    assert time.localtime(0).tm_gmtoff == 0 and time.localtime(0).tm_hour == 0
    assert (sys.getfilesystemencoding(), locale.getpreferredencoding(False)) == ("utf-8", "UTF-8")


def test_an_interpreter_the_test_starts_agrees():
    out = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == EXPECTED
"""


def _seed_zero_answer() -> str:
    code = f"import json; print(json.dumps([hash('autocoderl'), list(set({WORDS!r}))]))"
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_code_under_test_sees_seed_zero_hashes_under_every_runner(runner) -> None:
    expected = _seed_zero_answer()
    files = {"tests/test_parity.py": PROBE.format(expected=expected, words=WORDS).encode()}
    result = runner.run(RunRequest(files=files, source_files=(), limits=LIMITS, run_tools=False))
    assert result.status is RunStatus.COMPLETED, result.to_dict()
    record = ((result.report or {}).get("pytest") or {}).get("result") or {}
    outcomes = {test.split("::")[-1]: outcome for test, outcome in record.get("outcomes", {}).items()
                if test.startswith("tests/test_parity.py")}
    assert outcomes == {"test_hash_randomisation_is_off": "passed",
                        "test_string_hashes_and_set_order_are_the_seed_zero_ones": "passed",
                        "test_time_zone_and_encoding": "passed",
                        "test_an_interpreter_the_test_starts_agrees": "passed"}, \
        (record, (result.report or {}).get("pytest", {}).get("output_tail"))
