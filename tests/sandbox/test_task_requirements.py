"""Task requirements under every runner: outside tasks importing a library outside the base set validate
and grade; one environment per requirement set; unresolvable or undeclared requirements are typed errors;
the code under test cannot write into the environment it runs with."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from environment.corpus.tasks import Task, load_task, load_tasks
from environment.corpus.validation import validate_task
from environment.evaluator import Evaluator
from environment.views import graded_view
from sandbox.requirements import RequirementsError, RequirementSet
from sandbox.types import RunRequest, RunStatus

OUTSIDE = Path(__file__).resolve().parents[1] / "fixtures" / "outside_tasks"
JWT_SET = ["pyjwt<3,>=2.8"]


@pytest.fixture(scope="module")
def outside() -> dict[str, Task]:
    loaded = load_tasks([OUTSIDE])
    assert not loaded.problems
    assert set(loaded.tasks) == {"sec-jwt-session-verify", "logic-jwt-refresh-window"}
    return loaded.tasks


def _variant(tmp_path: Path, source: Task, new_id: str, requirements: list[str] | None) -> Task:
    """A copy of `source` under a new id with other requirements (None: the field removed)."""
    folder = tmp_path / new_id
    shutil.copytree(source.root, folder, ignore=shutil.ignore_patterns("baseline.json"))
    meta = yaml.safe_load((folder / "task.yaml").read_text())
    meta["id"] = new_id
    meta.pop("requirements", None)
    if requirements is not None:
        meta["requirements"] = requirements
    (folder / "task.yaml").write_text(yaml.safe_dump(meta))
    return load_task(folder)


def test_outside_tasks_validate_and_grade_in_their_environment(runner, outside) -> None:
    evaluator = Evaluator(runner, max_parallel=2)
    for task in outside.values():
        verdict = validate_task(task, runner, evaluator)
        assert verdict.outcome == "ok", f"{task.id}: {verdict.detail}"
    task = outside["sec-jwt-session-verify"]
    fixed = evaluator.evaluate(task, dict(task.solution))
    assert fixed.report.solved and fixed.report.fix_score >= 0.95
    environment = fixed.result.environment
    assert environment["requirements"] == JWT_SET
    assert environment["packages"]["pyjwt"].startswith("2.")
    assert environment["kind"] == ("image" if runner.name == "docker" else "venv")
    if runner.name == "docker":
        assert fixed.result.image == environment["id"] and environment["base"] == runner.image
    assert graded_view(fixed, runner.name, runner.isolation.value).environment == environment
    unchanged = evaluator.evaluate(task, {"sessions/cookies.py": task.repo["sessions/cookies.py"]})
    assert not unchanged.report.solved and unchanged.result.status is RunStatus.COMPLETED


def test_tasks_with_the_same_requirement_set_share_one_environment(runner, outside) -> None:
    infos = [runner.environments.get(RequirementSet.of(t.spec.requirements)) for t in outside.values()]
    assert len({info.id for info in infos}) == 1
    # and on disk there is exactly one image / venv for this set on the current base
    if runner.name == "docker":
        from sandbox.derived_image import BASE_LABEL, ENV_REPO, REQUIREMENTS_LABEL

        same = {image["Id"] for image in runner.api.images(name=ENV_REPO)
                if (image.get("Labels") or {}).get(REQUIREMENTS_LABEL) == json.dumps(JWT_SET)
                and image["Labels"].get(BASE_LABEL) == runner.image}
        assert same == {runner.api.inspect_image(infos[0].id)["Id"]}
    else:
        base = runner.environments.base_info.id
        records = [json.loads(p.read_text()) for p in Path(infos[0].path).parent.glob("*/autocoderl-env.json")]
        assert [r for r in records if r["requirements"] == JWT_SET and r.get("base") == base] == [
            json.loads((Path(infos[0].path) / "autocoderl-env.json").read_text())]


WRITE_PROBE = '''\
import os
import sys
import sysconfig

import jwt


def test_environment_is_read_only():
    package = os.path.dirname(jwt.__file__)
    wrote = []
    for folder in (package, sysconfig.get_paths()["purelib"], sys.prefix, os.path.dirname(sys.executable)):
        try:
            with open(os.path.join(folder, "planted.py"), "w") as handle:
                handle.write("x = 1")
            wrote.append(folder)
        except OSError:
            pass
    for attempt in (lambda: open(jwt.__file__, "a").write("# changed"), lambda: os.chmod(jwt.__file__, 0o777),
                    lambda: os.rename(jwt.__file__, jwt.__file__ + ".bak"),
                    lambda: os.symlink("/tmp", os.path.join(package, "link"))):
        try:
            attempt()
            wrote.append(str(attempt))
        except OSError:
            pass
    assert not wrote, wrote
'''


def test_code_under_test_cannot_write_into_its_environment(runner) -> None:
    info = runner.environments.get(RequirementSet.of(JWT_SET))
    before = _tree(info.path) if info.path else None
    result = runner.run(RunRequest(files={"tests/test_env.py": WRITE_PROBE.encode()}, source_files=(),
                                   run_tools=False, requirements=tuple(JWT_SET)))
    assert result.status is RunStatus.COMPLETED, result.reason
    outcomes = result.report["pytest"]["result"]["outcomes"]
    assert outcomes == {"tests/test_env.py::test_environment_is_read_only": "passed"}, result.report["pytest"]
    if before is not None:
        assert _tree(info.path) == before


def _tree(root: str) -> dict[str, tuple[int, int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mode, p.stat().st_mtime_ns)
            for p in Path(root).rglob("*") if not p.is_symlink()}


def test_unresolvable_requirement_is_a_typed_readable_error(runner, outside, tmp_path) -> None:
    task = _variant(tmp_path, outside["sec-jwt-session-verify"], "jwt-unresolvable",
                    ["autocoderl-no-such-distribution==1.0"])
    verdict = validate_task(task, runner, Evaluator(runner))
    assert verdict.outcome == "unmet_requirements"
    assert "autocoderl-no-such-distribution==1.0" in verdict.detail
    assert "No matching distribution" in verdict.detail
    with pytest.raises(RequirementsError) as caught:
        runner.run(RunRequest(files={"tests/test_x.py": b"def test_x():\n    pass\n"}, source_files=(),
                              requirements=task.spec.requirements))
    assert caught.value.code == "UNMET_REQUIREMENTS"
    assert caught.value.requirements == ("autocoderl-no-such-distribution==1.0",)


def test_undeclared_third_party_import_is_reported_as_unmet(runner, outside, tmp_path) -> None:
    task = _variant(tmp_path, outside["logic-jwt-refresh-window"], "jwt-undeclared", None)
    verdict = validate_task(task, runner, Evaluator(runner))
    assert verdict.outcome == "unmet_requirements", verdict.detail
    assert "imports jwt" in verdict.detail and "requirements" in verdict.detail
