"""Runs pytest under coverage inside the sandbox and writes one JSON result to an inherited pipe fd.

Before anything else it enters its own Landlock signal scope (when the driver has one), so code
under test can neither signal nor ptrace the driver. pytest and coverage are imported before the
repo root goes on sys.path, so a repo module named `pytest.py` or `coverage.py` cannot shadow them.
Only conftest.py files inside the test directories are loaded (never one at the repo root), and
the harness's own ini file wins over the repo's pytest.ini/setup.cfg/tox.ini/pyproject.toml.
Per-test outcomes come from pytest hooks, never from parsing console output.
"""

import importlib.util
import json
import os
import sys

ARGS = json.loads(sys.argv[1])
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.getcwd()


def _enter_scope() -> None:
    spec = importlib.util.spec_from_file_location("autocoderl_driver", os.path.join(HERE, "driver.py"))
    driver = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(driver)
    if not driver.scope_signals():
        sys.exit("pytest_child: could not enter the driver's signal scope")


if ARGS.get("scope"):
    _enter_scope()

import coverage  # noqa: E402 - only after the scope is in place
import pytest  # noqa: E402


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


def conftest_root(test_paths: list) -> str:
    """The deepest directory holding every test path: conftest.py files above it are never loaded."""
    dirs = []
    for path in test_paths:
        full = os.path.normpath(os.path.join(REPO, path.split("::")[0]))
        dirs.append(full if os.path.isdir(full) else os.path.dirname(full))
    return os.path.commonpath(dirs) if dirs else REPO


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
        exit_code = int(pytest.main(["-c", ini, "--rootdir", REPO, "--confcutdir", conftest_root(ARGS["test_paths"]),
                                     "-p", "no:cacheprovider", "-q", "--no-header",
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
