"""Task requirement sets: normalise a task's PEP 508 `requirements`, check them against the base set,
and resolve what the base lacks into pinned wheels (downloaded on the host, installed with --no-index).

The base set is what every evaluation already has: the pinned tools and libraries of
sandbox/image-requirements.txt (the Docker image) or the versions installed in the server's own
environment (the local runner). A set the base satisfies needs nothing; any other set is resolved
with pip *together with* the base pins, so tools and task libraries always agree, and the
difference (new or changed packages) is what a derived image or venv installs on top.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name, parse_wheel_filename

from sandbox.types import SandboxError

REPO_ROOT = Path(__file__).resolve().parent.parent
BASE_REQUIREMENTS = Path(__file__).resolve().parent / "image-requirements.txt"
WHEEL_CACHE = REPO_ROOT / ".cache" / "sandbox-wheels"
PIP_INSTALLER = "pip==26.3"
"""pip runs from its wheel when an image or venv is built; it is never installed into either."""
_MANYLINUX = (36, 34, 31, 28, 27, 24, 17, 12, 5)


class RequirementsError(SandboxError):
    """A requirement set that is malformed or cannot be resolved/installed (the task cannot be served)."""

    code = "UNMET_REQUIREMENTS"

    def __init__(self, message: str, *, requirements: Iterable[str] = (), runner: str = "") -> None:
        super().__init__(message, runner=runner)
        self.requirements = tuple(requirements)


@dataclass(frozen=True)
class Target:
    """Where the wheels will be installed: CPython `python` (major.minor) on Linux `arch`."""

    python: str = "3.11"
    arch: str = "x86_64"

    @classmethod
    def host(cls) -> Target:
        return cls(f"{sys.version_info.major}.{sys.version_info.minor}", _arch(platform.machine()))

    @property
    def tag(self) -> str:
        return f"cp{self.python.replace('.', '')}-{self.arch}"

    def pip_args(self) -> list[str]:
        abi = f"cp{self.python.replace('.', '')}"
        platforms = [f"manylinux_2_{minor}_{self.arch}" for minor in _MANYLINUX]
        platforms += [f"manylinux2014_{self.arch}", f"manylinux1_{self.arch}", f"linux_{self.arch}"]
        return ["--only-binary=:all:", "--implementation", "cp", "--python-version", self.python,
                "--abi", abi, "--abi", "abi3", "--abi", "none", *(a for p in platforms for a in ("--platform", p))]

    def marker_environment(self) -> dict[str, str]:
        env = dict(default_environment())
        env.update(python_version=self.python, python_full_version=f"{self.python}.0", sys_platform="linux",
                   platform_system="Linux", os_name="posix", platform_machine=self.arch,
                   implementation_name="cpython", platform_python_implementation="CPython")
        return env


def _arch(machine: str) -> str:
    machine = machine.lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine)


def parse_pins(text: str) -> dict[str, str]:
    """`name==version` lines of a requirements file as {canonical name: version}."""
    pins = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            pins[canonicalize_name(req.name)] = spec.version
    return pins


def image_base() -> dict[str, str]:
    """The Docker image's base set (image-requirements.txt)."""
    return parse_pins(BASE_REQUIREMENTS.read_text())


def host_base() -> dict[str, str]:
    """The local runner's base set: the versions of the same packages installed in this environment."""
    installed = {}
    for name in image_base():
        try:
            installed[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return installed


@functools.cache
def base_modules() -> frozenset[str]:
    """Top-level modules the base set's distributions provide (read from this environment's metadata; the
    server pins the same distributions)."""
    base = set(image_base())
    return frozenset(module for module, dists in metadata.packages_distributions().items()
                     if base & {canonicalize_name(d) for d in dists})


def normalise(value: str) -> str:
    """One spelling per requirement: canonical name, sorted extras, packaging's specifier/marker text.

    Raises:
        RequirementsError: not a PEP 508 requirement.
    """
    try:
        req = Requirement(value)
    except InvalidRequirement as exc:
        raise RequirementsError(f"invalid requirement {value!r}: {exc}", requirements=[value]) from exc
    if req.url:
        raise RequirementsError(f"requirement {value!r}: direct URLs are not supported (name a version instead)",
                                requirements=[value])
    req.name = canonicalize_name(req.name)
    req.extras = {canonicalize_name(e) for e in req.extras}
    return str(req)


@dataclass(frozen=True)
class RequirementSet:
    """A task's requirements, normalised, sorted and deduplicated: the unit one image/venv is built for."""

    requirements: tuple[str, ...] = ()

    @classmethod
    def of(cls, values: Iterable[str]) -> RequirementSet:
        return cls(tuple(sorted({normalise(v) for v in values})))

    def __bool__(self) -> bool:
        return bool(self.requirements)

    def unmet(self, base: Mapping[str, str], target: Target) -> tuple[str, ...]:
        """Requirements the base set does not satisfy on `target` (markers evaluated for it)."""
        env = target.marker_environment()
        missing = []
        for text in self.requirements:
            req = Requirement(text)
            if req.marker is not None and not req.marker.evaluate(env):
                continue
            version = base.get(req.name)
            if req.extras or version is None or not req.specifier.contains(version, prereleases=True):
                missing.append(text)
        return tuple(missing)

    def key(self, base: Mapping[str, str], target: Target, base_id: str = "") -> str:
        """16 hex digits naming this set on top of `base` (pins; `base_id`: the image/venv) for `target`."""
        payload = json.dumps({"base": sorted(base.items()), "base_id": base_id, "target": target.tag,
                              "requirements": self.requirements})
        return hashlib.sha256(payload.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Resolution:
    """What a derived environment installs on top of the base: pinned packages and where their wheels are."""

    requirements: tuple[str, ...]
    packages: dict[str, str]
    wheels: Path

    def lock_text(self) -> str:
        return "".join(f"{name}=={version}\n" for name, version in sorted(self.packages.items()))


def resolve(reqs: RequirementSet, base: Mapping[str, str], target: Target,
            echo: Callable[[str], None] = lambda _: None) -> Resolution:
    """Resolve `reqs` together with the base pins for `target` and keep the wheels the base lacks.

    Cached by the set's key under .cache/sandbox-wheels/sets/. A base package the task names is
    resolved from the task's specifier instead of its pin (the task may upgrade or downgrade it),
    so long as every other pin still agrees.

    Raises:
        RequirementsError: pip finds no consistent set of wheels (message names the culprit).
    """
    key = reqs.key(base, target)
    folder = WHEEL_CACHE / "sets" / f"{key}-{target.tag}"
    lock = folder / "resolution.json"
    if lock.is_file():
        data = json.loads(lock.read_text())
        return Resolution(tuple(data["requirements"]), data["packages"], folder)
    named = {Requirement(r).name for r in reqs.requirements}
    pins = [f"{name}=={version}" for name, version in sorted(base.items()) if name not in named]
    with tempfile.TemporaryDirectory(prefix="autocoderl-wheels-") as tmp:
        cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--dest", tmp,
               *target.pip_args(), *reqs.requirements, *pins, PIP_INSTALLER]
        echo(f"resolving {', '.join(reqs.requirements)} for {target.tag}")
        result = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            reason = _pip_reason(result.stderr)
            if "No matching distribution" in reason:
                reason += (f" (only wheels for {target.tag} are installed, never built from source: the name, the "
                           "version range or the platform may be wrong)")
            raise RequirementsError(f"cannot resolve {', '.join(reqs.requirements)} for {target.tag} on top of "
                                    f"the sandbox base set: {reason}", requirements=reqs.requirements)
        packages: dict[str, str] = {}
        keep = []
        for wheel in Path(tmp).glob("*.whl"):
            name, version, _, _ = parse_wheel_filename(wheel.name)
            if name == "pip":
                keep.append(wheel)
            elif base.get(name) != str(version):
                packages[name] = str(version)
                keep.append(wheel)
        staging = folder.with_name(folder.name + f".tmp{len(keep)}-{id(keep)}")
        staging.mkdir(parents=True)
        for wheel in keep:
            shutil.move(str(wheel), staging / wheel.name)
        (staging / "resolution.json").write_text(json.dumps({"requirements": reqs.requirements,
                                                              "packages": packages}, indent=1))
        try:
            staging.rename(folder)
        except OSError:  # a concurrent resolution won; theirs is identical
            shutil.rmtree(staging, ignore_errors=True)
    return Resolution(reqs.requirements, packages, folder)


def base_set_id(target: Target) -> str:
    """16 hex digits naming the pinned base set (and pip) for `target`: its wheel cache and its local venv."""
    data = BASE_REQUIREMENTS.read_bytes() + f"{PIP_INSTALLER} {target.tag}".encode()
    return hashlib.sha256(data).hexdigest()[:16]


def download_base_wheels(target: Target, echo: Callable[[str], None] = lambda _: None) -> Path:
    """Fetch every pinned base wheel (and pip's) for `target` once; cached under .cache/sandbox-wheels/.

    Raises:
        SandboxError: pip could not download them (no index reachable and nothing cached).
    """
    folder = WHEEL_CACHE / base_set_id(target)
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps",
           "--dest", str(folder), *target.pip_args(), "-r", str(BASE_REQUIREMENTS), PIP_INSTALLER]
    echo(f"downloading the base wheels for {target.tag} into {folder}")
    result = subprocess.run(cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SandboxError(f"pip download of the base set failed: {_pip_reason(result.stderr)}")
    (folder / ".complete").touch()
    return folder


def _pip_reason(stderr: str) -> str:
    """pip's ERROR lines (without its per-location warnings), or its last lines."""
    errors = [line.removeprefix("ERROR: ").strip() for line in stderr.splitlines() if line.startswith("ERROR:")]
    text = "; ".join(errors) if errors else " ".join(stderr.strip().splitlines()[-3:])
    return re.sub(r"\s+", " ", text)[:800] or "pip failed without a message"
