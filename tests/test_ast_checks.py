"""Task-declared AST checks (graders/ast_checks.py), the fix policy's machinery scan (graders/fix_policy.py) and a
task's GradeSpec: what comes from the task's own files is made once and remembered, a fix is read afresh, and the
answers stay the same."""

from __future__ import annotations

from graders.ast_checks import violations
from graders.fix_policy import check_fix, used_by
from graders.types import AstChecks, GradeSpec

ORIGINAL = '''import yaml
from subprocess import run as launch


def load(path, mode="r"):
    with open(path, mode) as fh:
        return yaml.load(fh, Loader=yaml.Loader)


def shell(cmd):
    return launch(cmd, shell=True)
'''
HELPER = "def helper(x):\n    return x\n"
CHECKS = AstChecks(forbidden_calls=("yaml.load", "subprocess.run"), forbidden_imports=("pickle",),
                   forbidden_kwargs=("shell=True",), required_calls=("yaml.safe_load",), preserve_signatures=True)
SPEC = GradeSpec(task_id="t", original={"app.py": ORIGINAL, "util.py": HELPER}, fail_to_pass=frozenset(),
                 pass_to_pass=frozenset(), hidden_tests=frozenset(), ast_checks=CHECKS)


def test_the_buggy_files_break_every_declared_check() -> None:
    problems = violations(SPEC, SPEC.original)
    assert problems == ["app.py:11 calls subprocess.run", "app.py:11 passes shell=True", "app.py:7 calls yaml.load",
                        "required call yaml.safe_load not found"]
    assert violations(SPEC, SPEC.original) == problems  # remembered, same answer


def test_a_fix_is_read_afresh_with_its_own_lines_and_signatures() -> None:
    fixed = ORIGINAL.replace("yaml.load(fh, Loader=yaml.Loader)", "yaml.safe_load(fh)").replace(
        "launch(cmd, shell=True)", "launch(cmd.split())")
    assert violations(SPEC, {**SPEC.original, "app.py": fixed}) == ["app.py:11 calls subprocess.run"]
    renamed = fixed.replace('def load(path, mode="r")', "def load(path)").replace("import yaml", "import yaml, pickle")
    assert violations(SPEC, {"app.py": renamed, "util.py": "def helper(:\n"}) == [
        "app.py:11 calls subprocess.run", "app.py imports pickle",
        "app.py: public signature of load changed or removed", "util.py does not parse (line 1)"]


def test_machinery_scan_of_task_texts_is_remembered_and_immutable() -> None:
    first = used_by("import sys\nimport typing\nx = typing.os.getcwd()\n")
    assert first == (frozenset({"sys", "typing", "os"}), frozenset())
    assert used_by("import sys\nimport typing\nx = typing.os.getcwd()\n") is first
    assert used_by("def broken(:\n  import ctypes") == (frozenset({"ctypes"}), frozenset())


def test_the_policy_reads_each_fix_itself() -> None:
    editable = {"app.py": HELPER}
    assert check_fix({"app.py": HELPER + "import sys\n"}, editable).refusal
    assert check_fix({"app.py": HELPER + "y = getattr(helper, name)\n"}, editable).refusal
    assert check_fix({"app.py": HELPER + "y = getattr(helper, '__name__')\n"}, editable).refusal is None


def test_a_tasks_grade_spec_is_made_once_and_forgotten_with_its_baseline() -> None:
    from dataclasses import replace
    from pathlib import Path

    from environment.corpus.baselines import BaselineCache
    from environment.corpus.tasks import load_tasks

    task = load_tasks([Path(__file__).resolve().parent.parent / "task_repos"]).tasks["logic-bulk-discount"]
    cache = BaselineCache(runner=None)  # the task's recorded baseline: nothing runs
    spec = cache.spec(task)
    assert spec.task_id == task.id and spec.fail_to_pass and cache.spec(task) is spec
    cache.discard(task)  # an evicted variant
    assert cache.spec(task) is not spec and cache.spec(task) == spec
    other = replace(cache.get(task), fail_to_pass=[], pass_to_pass=[])
    cache.put(task, other)  # a baseline computed elsewhere (validation): no spec of the old one survives
    assert cache.get(task) is other and cache.spec(task).fail_to_pass == frozenset()
