import pytest

from pipeline.config import PipelineError, Stage, load_pipeline

BASIC = """
stages:
  - name: test
    image: python:3.11
    commands: [pip install -e ., pytest -q]
  - name: lint
    image: python:3.11
    commands:
      - ruff check .
    env:
      RUFF_CACHE_DIR: /tmp/ruff
"""


def test_basic_pipeline():
    stages = load_pipeline(BASIC)
    assert [s.name for s in stages] == ["test", "lint"]
    assert stages[0] == Stage("test", "python:3.11", ["pip install -e .", "pytest -q"], {})
    assert stages[1].env == {"RUFF_CACHE_DIR": "/tmp/ruff"}


def test_env_tag_reads_environment(monkeypatch):
    monkeypatch.setenv("PY_IMAGE", "python:3.12-slim")
    stages = load_pipeline("stages:\n  - name: build\n    image: !env PY_IMAGE\n")
    assert stages[0].image == "python:3.12-slim"


def test_invalid_yaml_is_reported():
    with pytest.raises(PipelineError):
        load_pipeline("stages: [name: x\n")


def test_stage_without_image_is_rejected():
    with pytest.raises(PipelineError):
        load_pipeline("stages:\n  - name: build\n")
