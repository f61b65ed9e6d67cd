"""`autocoderl sandbox build --tasks-dir DIR`: every requirement set's environment is built ahead of time
(one per distinct set); an unresolvable set fails the command with pip's reason. Retrying clients wait
out ENVIRONMENT_PREPARING."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from environment.env import EnvError
from environment.evaluation.rollout import step_when_ready
from environment.models import ReviewAction

ROOT = Path(__file__).resolve().parent.parent
OUTSIDE = ROOT / "tests" / "fixtures" / "outside_tasks"


def build(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "environment.cli", "sandbox", "build", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("runner", ["local", pytest.param("docker", marks=pytest.mark.docker)])
def test_sandbox_build_prepares_each_requirement_set_once(runner: str) -> None:
    proc = build("--tasks-dir", str(OUTSIDE), "--runner", runner)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 task requirement set(s)" in proc.stdout
    ready = [line for line in proc.stdout.splitlines() if line.startswith("ready")]
    assert len(ready) == 1 and "pyjwt<3,>=2.8" in ready[0] and "pyjwt==2." in ready[0]
    assert "logic-jwt-refresh-window, sec-jwt-session-verify" in ready[0]
    assert ("-> image autocoderl-sandbox-env:" if runner == "docker" else "-> venv ") in ready[0]
    progress = [line for line in proc.stderr.splitlines() if line.startswith("[1/1]")]  # no terminal: one line each
    assert progress[0].startswith("[1/1] preparing pyjwt<3,>=2.8") and len(progress) == 2, proc.stderr
    assert re.fullmatch(r"\[1/1\] ready pyjwt<3,>=2\.8 \(\d+\.\d s\)", progress[1]), progress


def test_sandbox_build_fails_readably_on_an_unresolvable_set(tmp_path: Path) -> None:
    shutil.copytree(OUTSIDE / "logic-jwt-refresh-window", tmp_path / "jwt-broken-reqs")
    meta = yaml.safe_load((tmp_path / "jwt-broken-reqs" / "task.yaml").read_text())
    meta.update(id="jwt-broken-reqs", requirements=["PyJWT>=2.8", "autocoderl-no-such-distribution>=1"])
    (tmp_path / "jwt-broken-reqs" / "task.yaml").write_text(yaml.safe_dump(meta))
    proc = build("--tasks-dir", str(tmp_path), "--runner", "local")
    assert proc.returncode == 1
    failed = [line for line in proc.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 1 and "jwt-broken-reqs" in failed[0], proc.stdout
    assert "No matching distribution found for autocoderl-no-such-distribution>=1" in failed[0]
    progress = r"^\[1/1\] FAILED autocoderl-no-such-distribution>=1, pyjwt>=2\.8 \("
    assert re.search(progress, proc.stderr, re.M), proc.stderr


class _Preparing:
    """A session whose environment becomes ready after `times` ENVIRONMENT_PREPARING answers."""

    def __init__(self, times: int) -> None:
        self.left = times
        self.calls = 0

    def step(self, action: ReviewAction) -> str:
        self.calls += 1
        if self.left:
            self.left -= 1
            raise EnvError("ENVIRONMENT_PREPARING", "the environment for pyjwt is being prepared")
        return "observation"


def test_clients_wait_out_preparing_but_not_other_errors() -> None:
    action = ReviewAction(action_type="run_tests")
    session = _Preparing(times=2)
    assert step_when_ready(session, action) == "observation" and session.calls == 3
    with pytest.raises(EnvError, match="ENVIRONMENT_PREPARING"):
        step_when_ready(_Preparing(times=100), action, wait_s=1.0)

    class Broken:
        calls = 0

        def step(self, action: ReviewAction) -> None:
            Broken.calls += 1
            raise EnvError("UNMET_REQUIREMENTS", "cannot resolve")

    with pytest.raises(EnvError, match="UNMET_REQUIREMENTS"):
        step_when_ready(Broken(), action)
    assert Broken.calls == 1


def prune(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "environment.cli", "sandbox", "prune", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def test_prune_removes_only_what_no_task_uses() -> None:
    from sandbox.venvs import env_root

    assert build("--tasks-dir", str(OUTSIDE), "--runner", "local").returncode == 0
    stale = env_root() / "0123456789abcdef"
    stale.mkdir(parents=True, exist_ok=True)
    (env_root() / "0123456789abcdef.lock").touch()
    dry = prune("--tasks-dir", str(OUTSIDE), "--runner", "local", "--dry-run")
    assert f"local: would remove: {stale}" in dry.stdout and stale.is_dir()
    proc = prune("--tasks-dir", str(OUTSIDE), "--runner", "local")
    assert proc.returncode == 0 and f"local: removed: {stale}" in proc.stdout, proc.stdout + proc.stderr
    assert not stale.exists() and not (env_root() / "0123456789abcdef.lock").exists()
    assert "kept the base venv base-" in proc.stdout and "and 1 derived" in proc.stdout
    again = build("--tasks-dir", str(OUTSIDE), "--runner", "local")  # what the tasks need is still there
    assert again.returncode == 0 and "building venv" not in again.stdout


@pytest.mark.docker
def test_prune_removes_stale_images_only() -> None:
    import docker

    assert build("--tasks-dir", str(OUTSIDE), "--runner", "docker").returncode == 0
    client = docker.from_env(version="auto")
    from sandbox.image import image_tag

    client.api.tag(image_tag(), "autocoderl-sandbox-env", "stale-prune-test")
    proc = prune("--tasks-dir", str(OUTSIDE), "--runner", "docker")
    assert proc.returncode == 0 and "docker: removed: autocoderl-sandbox-env:stale-prune-test" in proc.stdout, \
        proc.stdout + proc.stderr
    assert "and 1 derived" in proc.stdout
    assert client.api.images(name="autocoderl-sandbox-env") and client.api.inspect_image(image_tag())
    again = build("--tasks-dir", str(OUTSIDE), "--runner", "docker")
    assert again.returncode == 0 and "building autocoderl-sandbox-env" not in again.stdout
