"""The local runner uses bubblewrap wherever bubblewrap works, whatever path the server's interpreter, the
venvs or the checkout live under (/tmp and /work are mount points inside the jail); when it must fall back
it says why."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from sandbox.jail import bwrap_status
from sandbox.local import LocalRunner
from sandbox.types import Isolation

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from environment.corpus.tasks import load_task
from environment.evaluator import Evaluator
from sandbox.local import LocalRunner
from pathlib import Path
runner = LocalRunner()
task = load_task(Path({root!r}) / "task_repos" / "logic-bulk-discount")
report = Evaluator(runner).evaluate(task, dict(task.solution)).report
print(json.dumps({{"isolation": runner.isolation.value, "note": runner.isolation_note, "solved": report.solved}}))
"""


@pytest.fixture(scope="module")
def bwrap_here() -> None:
    works, why = bwrap_status()
    if not works:
        if os.environ.get("CI") == "true":
            pytest.fail(f"bubblewrap must work in CI: {why}", pytrace=False)
        pytest.skip(why)


@pytest.mark.slow
def test_a_server_in_a_virtualenv_under_tmp_with_env_dir_under_tmp_gets_bwrap(bwrap_here, tmp_path_factory) -> None:
    base = Path("/tmp") / f"autocoderl-venv-test-{os.getpid()}"
    try:
        venv.create(base / "venv", system_site_packages=True, with_pip=False)
        env = {**os.environ, "AUTOCODERL_ENV_DIR": str(base / "envs"), "PYTHONPATH": str(ROOT)}
        result = subprocess.run([str(base / "venv" / "bin" / "python"), "-c", PROBE.format(root=str(ROOT))],
                                capture_output=True, text=True, env=env, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        seen = json.loads(result.stdout.strip().splitlines()[-1])
        assert seen == {"isolation": "bwrap", "note": "", "solved": True}, (seen, result.stderr[-2000:])
    finally:
        subprocess.run(["rm", "-rf", str(base)], check=False)


def test_a_fallback_says_why() -> None:
    runner = LocalRunner(use_bwrap=False)
    assert runner.isolation in (Isolation.LANDLOCK, Isolation.RLIMITS)
    assert runner.isolation_note and runner.describe()["isolation_note"] == runner.isolation_note


def test_the_jail_mounts_tmp_and_work_as_its_own_tmpfs(bwrap_here) -> None:
    from sandbox.jail import bwrap_command

    cmd = bwrap_command(["true"])
    mounts = [(cmd[i], cmd[i + 1]) for i in range(len(cmd) - 1) if cmd[i] in ("--tmpfs", "--symlink")]
    assert ("--tmpfs", "/tmp") in mounts and ("--tmpfs", "/work") in mounts
    assert not [i for i, arg in enumerate(cmd) if arg == "--symlink" and cmd[i + 2] == "/tmp"]
    assert str(Path(sys.executable).parent) not in " ".join(cmd[:-1]).split("--ro-bind"), \
        "the server's own interpreter is not bound unless the fallback needs it"


def test_the_warm_harness_outlives_the_thread_that_asked_for_it(task_tree, reference_fix) -> None:
    """Harnesses die with the thread that started them (--die-with-parent): they are started from the runner's own
    long-lived thread, so evaluations from short-lived threads (validate workers, step threads) keep one harness."""
    import threading

    from sandbox.types import RunRequest

    runner = LocalRunner()
    try:
        request = RunRequest(files={**task_tree, "shop/pricing.py": reference_fix}, source_files=("shop/pricing.py",),
                             run_tools=False)
        results = []
        worker = threading.Thread(target=lambda: results.append(runner.run(request)))
        worker.start()
        worker.join()
        standing = runner.standing_pids()
        results.append(runner.run(request))
        assert all(r.status.value == "completed" for r in results), [r.reason for r in results]
        assert standing and runner.standing_pids() == standing, "the harness was started again"
    finally:
        runner.close()
