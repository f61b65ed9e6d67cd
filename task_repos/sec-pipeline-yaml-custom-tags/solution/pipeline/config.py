"""Loader for ``pipeline.yml`` build definitions.

Besides plain YAML (anchors and ``<<`` merge keys included) the file understands two tags:

* ``!env NAME`` or ``!env NAME:default`` - an environment variable, read at load time;
* ``!join [a, b, ...]`` - the concatenation of a list of scalars, e.g. for image names.
"""

import os
from dataclasses import dataclass, field

import yaml


class PipelineError(ValueError):
    """Raised when a pipeline definition cannot be loaded."""


def _construct_env(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> str:
    name, has_default, default = loader.construct_scalar(node).partition(":")
    value = os.environ.get(name.strip())
    if value is not None:
        return value
    if not has_default:
        raise PipelineError(f"environment variable {name.strip()!r} is not set")
    return default


def _construct_join(loader: yaml.BaseLoader, node: yaml.SequenceNode) -> str:
    return "".join(str(part) for part in loader.construct_sequence(node))


yaml.add_constructor("!env", _construct_env, Loader=yaml.SafeLoader)
yaml.add_constructor("!join", _construct_join, Loader=yaml.SafeLoader)


@dataclass(frozen=True)
class Stage:
    """One stage of the build pipeline."""

    name: str
    image: str
    commands: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)


def _stage(index: int, raw: object) -> Stage:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise PipelineError(f"stage #{index} needs a name")
    if not isinstance(raw.get("image"), str):
        raise PipelineError(f"stage {raw['name']!r} needs an image")
    commands = raw.get("commands", [])
    env = raw.get("env", {})
    if not isinstance(commands, list) or not isinstance(env, dict):
        raise PipelineError(f"stage {raw['name']!r} has malformed commands or env")
    return Stage(
        name=raw["name"],
        image=raw["image"],
        commands=[str(command) for command in commands],
        env={str(key): str(value) for key, value in env.items()},
    )


def load_pipeline(text: str) -> list[Stage]:
    """Parse a pipeline definition and return its stages in order."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise PipelineError(f"invalid pipeline file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("stages"), list):
        raise PipelineError("a pipeline needs a list of stages")
    return [_stage(index, raw) for index, raw in enumerate(data["stages"])]
