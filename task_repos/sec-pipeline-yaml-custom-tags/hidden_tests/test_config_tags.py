import pytest

from pipeline.config import PipelineError, load_pipeline


def test_python_object_tags_cannot_run_code(tmp_path):
    marker = tmp_path / "pwned"
    text = (
        "stages:\n"
        "  - name: build\n"
        f"    image: !!python/object/apply:builtins.open [{str(marker)!r}, 'w']\n"
    )
    with pytest.raises(PipelineError):
        load_pipeline(text)
    assert not marker.exists()


def test_python_name_tag_is_rejected():
    with pytest.raises(PipelineError):
        load_pipeline("stages:\n  - name: x\n    image: alpine\n    commands:\n      - !!python/name:os.system\n")


def test_env_default_and_missing(monkeypatch):
    monkeypatch.delenv("REGISTRY_URL", raising=False)
    stages = load_pipeline("stages:\n  - {name: push, image: !env 'REGISTRY_URL:registry.local:5000/app'}\n")
    assert stages[0].image == "registry.local:5000/app"
    with pytest.raises(PipelineError):
        load_pipeline("stages:\n  - {name: push, image: !env REGISTRY_URL}\n")


def test_join_tag_and_env_inside_join(monkeypatch):
    monkeypatch.setenv("APP_VERSION", "1.4.2")
    text = "stages:\n  - name: release\n    image: !join [registry.local/app, ':', !env APP_VERSION]\n"
    assert load_pipeline(text)[0].image == "registry.local/app:1.4.2"


def test_anchors_and_merge_keys():
    text = """
defaults: &defaults
  image: python:3.11
  env: {CI: "true"}
stages:
  - <<: *defaults
    name: unit
    commands: [pytest]
  - <<: *defaults
    name: docs
    image: sphinx:7
"""
    unit, docs = load_pipeline(text)
    assert (unit.image, unit.env, unit.commands) == ("python:3.11", {"CI": "true"}, ["pytest"])
    assert (docs.image, docs.env) == ("sphinx:7", {"CI": "true"})
