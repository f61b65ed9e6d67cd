"""Outside task folders load and validate whole, on both runners, and grade outside fixes truthfully.

The fixtures were written the way outside maintainers and reward hackers write them, not the way the code
expects (tests/fixtures/*/README.md):
- `outside_quixbugs/`: 31 QuixBugs-style programs; 6 buggy ones hang, 4 are exponentially slow, and in some
  only one hidden test hangs;
- `outside_cweval/`: a 25-task CWEval-style conversion with `requirements:`; two references add their own
  ruff findings (F401, F541), one imports pycryptodome's `Crypto` (bandit B413 on pyCrypto), and one ships a
  source file named `save_secrete_file.py`;
- `candidate_fixes/quixbugs/`: 68 correct fixes as language models write them (no final newline, trailing
  whitespace, extra blank lines, long lines, rewrites);
- `candidate_fixes/hacks/`: 30 fixes that keep the bug and try to pass the tests anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from environment.corpus.tasks import load_task, load_tasks
from environment.corpus.validation import validate_all
from environment.evaluator import Evaluator
from graders.fix_policy import PolicyVerdict, check_fix, runtime_only
from sandbox.local import LocalRunner
from tests.conftest import docker_runner_or_skip

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ROOT = FIXTURES.parent.parent
RUNNERS = ["local", pytest.param("docker", marks=pytest.mark.docker)]


def make_runner(kind: str):
    return LocalRunner() if kind == "local" else docker_runner_or_skip(pool_size=2)


def find_task(task_id: str):
    for base in (ROOT / "task_repos", *sorted(FIXTURES.glob("outside_*"))):
        if (base / task_id / "task.yaml").is_file():
            return load_task(base / task_id)
    raise AssertionError(f"no task {task_id}")


def fixes(folder: Path) -> list[tuple[str, str, dict[str, str]]]:
    """(task id, fix name, {repo path: text}) for every fix folder under `folder`."""
    found = []
    for task_dir in sorted(p for p in folder.iterdir() if p.is_dir() and p.name != "tools"):
        for fix in sorted(p for p in task_dir.iterdir() if p.is_dir()):
            files = {f.relative_to(fix).as_posix(): f.read_text(encoding="utf-8") for f in sorted(fix.rglob("*"))
                     if f.is_file() and f.name != "HACK.txt"}
            found.append((task_dir.name, fix.name, files))
    return found


def grade_all(kind: str, folder: Path, policy: Callable[..., PolicyVerdict] = check_fix) -> dict[str, object]:
    """Every fix of `folder` graded by the evaluator an agent's apply_fix goes through (two at a time)."""
    runner = make_runner(kind)
    evaluator = Evaluator(runner, max_parallel=2, policy=policy)
    try:
        items = fixes(folder)
        with ThreadPoolExecutor(2) as pool:
            reports = pool.map(lambda item: evaluator.evaluate(find_task(item[0]), item[2]).report, items)
            return {f"{task}/{name}": report for (task, name, _), report in zip(items, reports, strict=True)}
    finally:
        runner.close()


@pytest.mark.slow
@pytest.mark.parametrize("kind", RUNNERS)
def test_quixbugs_style_folder_validates_whole(kind: str) -> None:
    """Hanging and exponentially slow buggy programs are ordinary bugs: their hanging tests are fail-to-pass."""
    tasks = load_tasks([FIXTURES / "outside_quixbugs"])
    assert tasks.problems == {} and len(tasks.tasks) == 31
    runner = make_runner(kind)
    try:
        verdicts = validate_all(sorted(tasks.tasks.values(), key=lambda t: t.id), runner, workers=2)
    finally:
        runner.close()
    assert {v.task_id: f"{v.outcome}: {v.detail}" for v in verdicts if not v.ok} == {}
    hanging = {v.task_id for v in verdicts if v.baseline.buggy_timeouts}
    assert {"qb-bitcount", "qb-gcd", "qb-sqrt", "qb-find-in-sorted", "qb-knapsack"} <= hanging, hanging
    for verdict in verdicts:
        assert set(verdict.baseline.buggy_timeouts) <= set(verdict.baseline.fail_to_pass), verdict.task_id


@pytest.mark.slow
@pytest.mark.parametrize("kind", RUNNERS)
def test_cweval_style_folder_validates_whole(kind: str) -> None:
    """The reference's own findings are a warning, not BROKEN; pycryptodome is no pyCrypto; a source file
    named save_secrete_file.py is no secret."""
    tasks = load_tasks([FIXTURES / "outside_cweval"])
    assert tasks.problems == {} and len(tasks.tasks) == 25
    assert "sec-cwe732-save-secrete-file" in tasks.tasks
    runner = make_runner(kind)
    try:
        verdicts = {v.task_id: v for v in validate_all(sorted(tasks.tasks.values(), key=lambda t: t.id), runner,
                                                        workers=2)}
    finally:
        runner.close()
    assert {t: f"{v.outcome}: {v.detail}" for t, v in verdicts.items() if not v.ok} == {}
    assert any("ruff F401" in w for w in verdicts["sec-cwe079-welcome-message"].warnings)
    assert any("ruff F541" in w for w in verdicts["sec-cwe117-log-entry"].warnings)
    crypto = verdicts["sec-cwe327-encrypt-data"].baseline
    assert not [f for f in crypto.solution_bandit if f[0] == "B413"], crypto.solution_bandit


def test_secret_file_rule_names_real_secrets_only() -> None:
    from environment.corpus.tasks import secret_file_rule

    assert secret_file_rule("save_secrete_file.py") is None and secret_file_rule("secrets_rotation.py") is None
    assert secret_file_rule(".env.local") == "dotenv file" and secret_file_rule("id_ed25519") == "SSH key"
    assert secret_file_rule("tls.key") and secret_file_rule("credentials.json")


@pytest.mark.slow
def test_correct_outside_fixes_are_solved() -> None:
    """Language-model-style correct fixes (formatting trivia included) are `solved`."""
    reports = grade_all("local", FIXTURES / "candidate_fixes" / "quixbugs")
    assert len(reports) >= 62
    assert {name: r.to_dict()["checks"] for name, r in reports.items() if not r.solved} == {}


@pytest.mark.slow
@pytest.mark.parametrize("kind", RUNNERS)
@pytest.mark.parametrize("policy", [check_fix, runtime_only], ids=["static+runtime", "runtime-only"])
def test_outside_hacks_earn_no_test_credit(kind: str, policy: Callable[..., PolicyVerdict]) -> None:
    """None of the 30 bug-keeping hacks is solved or earns test credit, on either runner; nor with the static
    policy switched off, where the run-time checks alone must catch every one that runs."""
    reports = grade_all(kind, FIXTURES / "candidate_fixes" / "hacks", policy)
    assert len(reports) == 30
    winners = {name: r.to_dict() for name, r in reports.items()
               if r.solved or (r.by_name().get("tests") and r.by_name()["tests"].score)}
    assert winners == {}
    if policy is runtime_only:
        assert not any(r.refused for r in reports.values())
