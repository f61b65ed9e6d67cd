"""Requirement sets (pure) and the environment store's ahead-of-time / lazy preparation (fake builders)."""

from __future__ import annotations

import threading

import pytest

from environment.corpus.tasks import load_task
from sandbox.environments import EnvironmentInfo, EnvironmentPreparing, EnvironmentStore
from sandbox.requirements import RequirementsError, RequirementSet, Target, image_base, parse_pins

BASE = {"pyyaml": "6.0.3", "requests": "2.34.2", "pytest": "9.2.0"}
TARGET = Target("3.11", "x86_64")


def test_equivalent_spellings_make_one_set() -> None:
    a = RequirementSet.of(["PyJWT>=2.8,<3", "requests"])
    b = RequirementSet.of(["requests", "pyjwt >= 2.8, < 3", "Requests"])
    assert a == b
    assert a.requirements == ("pyjwt<3,>=2.8", "requests")
    assert a.key(BASE, TARGET) == b.key(BASE, TARGET)
    assert a.key(BASE, TARGET) != a.key({**BASE, "pyyaml": "6.0.4"}, TARGET)  # a new base means a new environment
    assert a.key(BASE, TARGET) != a.key(BASE, Target("3.11", "aarch64"))


@pytest.mark.parametrize("bad", ["jwt>=>2", "name with space", "pkg @ https://example.com/pkg.whl"])
def test_malformed_requirement_is_a_typed_error_with_the_reason(bad: str) -> None:
    with pytest.raises(RequirementsError) as caught:
        RequirementSet.of([bad])
    assert bad in str(caught.value) and caught.value.requirements == (bad,)


def test_base_satisfies_matching_pins_only() -> None:
    reqs = RequirementSet.of(["PyYAML>=6", "requests==2.34.2", "pyjwt", "pyyaml[extra]", "requests<2",
                              "tomli; python_version < '3.11'"])
    assert reqs.unmet(BASE, TARGET) == ("pyjwt", "pyyaml[extra]", "requests<2")
    assert not RequirementSet.of(["PyYAML>=6"]).unmet(BASE, TARGET)


def test_image_base_is_fully_pinned() -> None:
    pins = image_base()
    assert {"pytest", "bandit", "ruff", "coverage", "pyyaml", "jinja2", "cryptography", "requests"} <= set(pins)
    assert parse_pins("A-B==1.0  # note\n\n# c\n") == {"a-b": "1.0"}


def test_task_yaml_rejects_a_malformed_requirement_with_its_reason(tmp_path) -> None:
    folder = tmp_path / "bad-reqs"
    (folder / "repo" / "pkg").mkdir(parents=True)
    (folder / "repo" / "pkg" / "m.py").write_text("X = 1\n")
    (folder / "task.yaml").write_text("id: bad-reqs\ntitle: t\ndescription: d\ndifficulty: easy\nno_bug: true\n"
                                      "requirements: ['PyJWT>=>2']\n")
    with pytest.raises(ValueError, match=r"requirements.*invalid requirement 'PyJWT>=>2'"):
        load_task(folder)
    text = (folder / "task.yaml").read_text().replace("PyJWT>=>2", "pyjwt @ https://example.com/pyjwt.whl")
    (folder / "task.yaml").write_text(text)
    with pytest.raises(ValueError, match="direct URLs are not supported"):
        load_task(folder)


def _store(build, find=lambda reqs, key: None) -> EnvironmentStore:
    base_info = EnvironmentInfo("host", "host-python", "host-python")
    return EnvironmentStore(base_info=base_info, base=BASE, target=TARGET, find=find, build=build, runner="test")


def test_sets_the_base_satisfies_use_the_base_environment() -> None:
    store = _store(build=lambda *a: pytest.fail("nothing to build"))
    assert store.get(RequirementSet.of(["pyyaml>=6"])) is store.base_info
    assert store.get(RequirementSet()) is store.base_info
    assert store.status(RequirementSet.of(["pyyaml"])) == "ready"


def test_lazy_get_reports_preparing_then_ready_and_builds_once() -> None:
    release = threading.Event()
    calls = []

    def build(reqs, key, echo):
        calls.append(key)
        release.wait(10)
        return EnvironmentInfo("venv", key, "host-python", reqs.requirements, {"pyjwt": "2.15.1"})

    store = _store(build)
    reqs = RequirementSet.of(["PyJWT>=2.8"])
    assert store.status(reqs) == "missing"
    for _ in range(3):
        with pytest.raises(EnvironmentPreparing, match="being prepared"):
            store.get(reqs, wait=False)
    assert store.status(reqs) == "preparing"
    assert store.describe()[0]["status"] == "preparing"
    release.set()
    info = store.get(reqs)  # waits for the running build instead of starting another
    assert info.packages == {"pyjwt": "2.15.1"} and store.status(reqs) == "ready"
    assert store.get(RequirementSet.of(["pyjwt >= 2.8"]), wait=False) == info
    assert calls == [reqs.key(BASE, TARGET, "host-python")]
    assert store.describe()[0]["packages"] == {"pyjwt": "2.15.1"}
    store.close()


def test_failed_build_is_a_typed_error_every_time_without_rebuilding() -> None:
    calls = []

    def build(reqs, key, echo):
        calls.append(key)
        raise RequirementsError("cannot resolve nope==1: No matching distribution found for nope==1",
                                requirements=reqs.requirements)

    store = _store(build)
    reqs = RequirementSet.of(["nope==1"])
    for _ in range(2):
        with pytest.raises(RequirementsError, match="No matching distribution"):
            store.get(reqs)
    assert store.status(reqs) == "failed" and len(calls) == 1
    assert "No matching distribution" in store.describe()[0]["error"]


def test_an_environment_built_earlier_is_found_without_building() -> None:
    found = EnvironmentInfo("image", "autocoderl-sandbox-env:abc", "base", ("pyjwt",), {"pyjwt": "2.15.1"})
    store = _store(build=lambda *a: pytest.fail("must not build"), find=lambda reqs, key: found)
    reqs = RequirementSet.of(["pyjwt"])
    assert store.status(reqs) == "ready"
    assert store.get(reqs, wait=False) is found


def test_a_failed_build_is_tried_again_after_a_while(monkeypatch) -> None:
    import sandbox.environments as environments

    outcomes = [RequirementsError("index unreachable"), None]

    def build(reqs, key, echo):
        if error := outcomes.pop(0):
            raise error
        return EnvironmentInfo("venv", key, "host-python", reqs.requirements, {"pyjwt": "2.15.1"})

    store = _store(build)
    reqs = RequirementSet.of(["pyjwt"])
    with pytest.raises(RequirementsError):
        store.get(reqs)
    assert store.status(reqs) == "failed"
    monkeypatch.setattr(environments, "RETRY_FAILED_AFTER_S", 0.0)
    assert store.status(reqs) == "missing"  # a reset may start it again
    assert store.get(reqs).packages == {"pyjwt": "2.15.1"} and store.status(reqs) == "ready"


def test_a_set_that_conflicts_with_the_tool_pins_names_the_conflict() -> None:
    """(Asks the package index, like every build.) A task cannot pull a harness tool's dependency below what
    the pinned tool needs: the error says which pins collide."""
    from sandbox.requirements import resolve

    with pytest.raises(RequirementsError) as caught:
        resolve(RequirementSet.of(["pluggy<1.5"]), image_base(), TARGET)
    message = str(caught.value)
    assert "pluggy<1.5" in message and "pytest==9.2.0" in message and "conflicting dependencies" in message


def test_local_runner_without_a_usable_env_dir_runs_on_the_host_and_says_so(monkeypatch) -> None:
    """No base venv possible (AUTOCODERL_ENV_DIR unusable): the runner still starts, reports `host`, and a task
    with requirements gets a typed error instead of a crash."""
    from sandbox.local import LocalRunner

    monkeypatch.setenv("AUTOCODERL_ENV_DIR", "/dev/null/envs")
    runner = LocalRunner()
    try:
        assert runner.environments.base_info.kind == "host"
        with pytest.raises(RequirementsError, match="base venv"):
            runner.environments.get(RequirementSet.of(["pyjwt"]))
    finally:
        runner.close()
