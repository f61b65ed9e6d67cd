"""Runs pytest under coverage inside the sandbox and writes one JSON result to an inherited pipe fd.

pytest and coverage are imported before the repo root goes on sys.path, so a repo module named
`pytest.py` or `coverage.py` cannot shadow them. Per-test outcomes come from pytest hooks, never
from parsing console output.
"""

import json
import os
import sys

import coverage
import pytest

ARGS = json.loads(sys.argv[1])
REPO = os.getcwd()


class Collector:
    """pytest plugin recording collection errors and one outcome per test id."""

    def __init__(self) -> None:
        self.outcomes: dict = {}
        self.collected: list = []
        self.collect_errors: list = []

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collect_errors.append({"nodeid": report.nodeid, "message": str(report.longrepr)[-1500:]})

    def pytest_collection_finish(self, session) -> None:
        self.collected = [item.nodeid for item in session.items]

    def pytest_runtest_logreport(self, report) -> None:
        previous = self.outcomes.get(report.nodeid)
        if report.when == "call":
            outcome = "skipped" if report.skipped else report.outcome
            if hasattr(report, "wasxfail"):
                outcome = "xfailed" if report.skipped else "xpassed"
        elif report.failed:
            outcome = "error"
        elif report.skipped:
            outcome = "skipped"
        else:
            return
        if previous in ("error", "failed") and outcome == "passed":
            return
        self.outcomes[report.nodeid] = outcome


def main() -> None:
    fd = ARGS["report_fd"]
    sources = [os.path.join(REPO, s) for s in ARGS["sources"]]
    cov = coverage.Coverage(data_file=None, config_file=False, include=sources or None, branch=False)
    collector = Collector()
    ini = os.path.join(os.path.dirname(REPO), "harness-pytest.ini")
    with open(ini, "w") as fh:
        fh.write("[pytest]\npython_files = test_*.py *_test.py\n")
    sys.path.insert(0, REPO)
    cov.start()
    try:
        exit_code = int(pytest.main(["-c", ini, "--rootdir", REPO, "-p", "no:cacheprovider", "-q", "--no-header",
                                     "-rN", "--tb=short", *ARGS["test_paths"]], plugins=[collector]))
    finally:
        cov.stop()
    files = {}
    for path in sources:
        try:
            _, statements, _, missing, _ = cov.analysis2(path)
        except Exception:  # noqa: BLE001 - a file that never imported or does not parse has no data
            continue
        files[os.path.relpath(path, REPO)] = {"statements": len(statements), "missing": sorted(missing)}
    result = {"exit_code": exit_code, "outcomes": collector.outcomes, "collected": collector.collected,
              "collect_errors": collector.collect_errors, "coverage": files,
              "versions": {"pytest": pytest.__version__, "coverage": coverage.__version__}}
    data = (json.dumps(result, separators=(",", ":")) + "\n").encode()
    while data:
        data = data[os.write(fd, data):]
    os.close(fd)


if __name__ == "__main__":
    main()
