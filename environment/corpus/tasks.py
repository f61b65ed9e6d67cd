"""Task folders: the task.yaml contract as a frozen model, and loading task_repos/ plus outside dirs.

A folder that breaks the contract is reported with its reason and skipped; it never crashes the
server (docs/task-format.md).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sandbox.requirements import RequirementsError, normalise

BUILTIN_TASKS_DIR = Path(__file__).resolve().parents[2] / "task_repos"
Category = Literal["syntax", "logic", "security", "performance", "style"]
Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[str, ...] = ("low", "medium", "high", "critical")
CATEGORIES: tuple[str, ...] = ("syntax", "logic", "security", "performance", "style")
SECRET_FILE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (rule, re.compile(pattern, re.I)) for rule, pattern in (
    ("dotenv file", r"^\.env(\..+)?$"),
    ("SSH key", r"^id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$"),
    ("key or certificate store", r"\.(pem|key|p12|pfx|jks|keystore|kdbx)$"),
    ("credentials file", r"^(credentials|secrets?|client_secret[\w-]*)(\.(json|ya?ml|toml|ini|cfg|txt|env))?$"),
    ("login file", r"^\.(netrc|pgpass|npmrc|pypirc|htpasswd)$"),
))
"""Names of files that hold secrets (image builders and uploads drop them). A source file whose name merely
contains a word like "secret" (`save_secrete_file.py`, `secrets_rotation.py`) is not one."""
MAX_REPO_BYTES = 512 * 1024
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it (loading the corpus at start-up is ten times faster)."""


class BugSpec(BaseModel):
    """One bug of a task (its ground truth; never shown to the agent)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    file: str
    category: Category
    severity: Severity
    cwe: str | None = None
    line: int | None = Field(default=None, ge=1)
    hint: str | None = None
    bandit: tuple[str, ...] = ()
    ruff: tuple[str, ...] = ()

    @field_validator("cwe")
    @classmethod
    def _cwe_format(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"CWE-\d+", value):
            raise ValueError("cwe must look like 'CWE-89'")
        return value


class AstChecksSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    forbidden_calls: tuple[str, ...] = ()
    forbidden_imports: tuple[str, ...] = ()
    forbidden_kwargs: tuple[str, ...] = ()
    required_calls: tuple[str, ...] = ()
    preserve_signatures: bool = True


class TaskSpec(BaseModel):
    """task.yaml, validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    description: str
    difficulty: Literal["easy", "medium", "hard"]
    tags: tuple[str, ...] = ()
    family: str | None = None
    split: Literal["train", "eval"] = "train"
    tier: int | None = Field(default=None, ge=1, le=4)
    no_bug: bool = False
    entry: str | None = None
    requirements: tuple[str, ...] = ()
    bugs: tuple[BugSpec, ...] = ()
    ast_checks: AstChecksSpec = AstChecksSpec()

    @field_validator("requirements")
    @classmethod
    def _pep508(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for value in values:
            try:
                normalise(value)  # the sandbox's own parser: what loads here can be installed as written
            except RequirementsError as exc:
                raise ValueError(str(exc)) from None
        return values

    @model_validator(mode="after")
    def _consistent(self) -> TaskSpec:
        if self.no_bug and self.bugs:
            raise ValueError("a no_bug task must not list bugs")
        if not self.no_bug and not self.bugs:
            raise ValueError("bugs must list at least one bug (or set no_bug: true)")
        for bug in self.bugs:
            if bug.category == "security" and not bug.cwe:
                raise ValueError(f"security bug in {bug.file} needs a cwe")
        return self

    @property
    def primary_category(self) -> str | None:
        return self.bugs[0].category if self.bugs else None

    @property
    def cwes(self) -> tuple[str, ...]:
        return tuple(b.cwe for b in self.bugs if b.cwe)

    @property
    def max_severity(self) -> str | None:
        return max((b.severity for b in self.bugs), key=SEVERITIES.index, default=None)


def secret_file_rule(name: str) -> str | None:
    """The secret-file rule `name` matches, or None."""
    return next((rule for rule, pattern in SECRET_FILE_RULES if pattern.search(name)), None)


def _read_tree(root: Path) -> dict[str, str]:
    files: dict[str, str] = {}
    if not root.is_dir():
        return files
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            raise ValueError(f"{root.name}/{rel}: symlinks are not allowed")
        if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if rule := secret_file_rule(path.name):
            raise ValueError(f"{root.name}/{rel}: the name matches the secret-file rule '{rule}' (image builders and "
                             "uploads drop such files); rename it")
        files[rel] = path.read_text(encoding="utf-8")
    return files


@dataclass(frozen=True)
class Task:
    """A loaded task: its spec and file trees (repo as the agent sees it, hidden tests, solution)."""

    spec: TaskSpec
    root: Path
    repo: dict[str, str] = field(hash=False)
    hidden: dict[str, str] = field(hash=False)
    solution: dict[str, str] = field(hash=False)

    @property
    def id(self) -> str:
        return self.spec.id

    @cached_property
    def source_files(self) -> tuple[str, ...]:
        """Files a fix may edit: .py files outside tests/."""
        return tuple(p for p in self.repo if p.endswith(".py") and not p.startswith("tests/"))

    @cached_property
    def visible_test_files(self) -> tuple[str, ...]:
        """The repo's own test files (the agent sees them and their outcomes)."""
        return tuple(p for p in self.repo if p.startswith("tests/") and p.endswith(".py"))

    @cached_property
    def hidden_paths(self) -> dict[str, str]:
        """Hidden test files at the path they take inside the repo at grading time."""
        return {f"tests/{name}": text for name, text in self.hidden.items()}

    @cached_property
    def content_hash(self) -> str:
        digest = hashlib.sha256(self.spec.model_dump_json().encode())
        for tree in (self.repo, self.hidden, self.solution):
            for path in sorted(tree):
                digest.update(path.encode() + b"\0" + tree[path].encode() + b"\0")
        return digest.hexdigest()[:16]

    @cached_property
    def public_id(self) -> str:
        """Opaque id shown to agents: real ids name the bug (e.g. 'sec-orders-sql-injection')."""
        return "t-" + hashlib.sha256(self.spec.id.encode()).hexdigest()[:10]

    @property
    def entry_file(self) -> str:
        return self.spec.entry or (self.source_files[0] if self.source_files else next(iter(self.repo)))


def load_task(folder: Path) -> Task:
    """Load and check one task folder.

    Raises:
        ValueError: the folder breaks the task contract (the message says how).
    """
    meta = folder / "task.yaml"
    if not meta.is_file():
        raise ValueError("missing task.yaml")
    try:
        raw = yaml.load(meta.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
        spec = TaskSpec.model_validate(raw)
    except yaml.YAMLError as exc:
        raise ValueError(f"task.yaml is not valid YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "task.yaml"
        raise ValueError(f"task.yaml field {where}: {first['msg']}") from exc
    if spec.id != folder.name:
        raise ValueError(f"id {spec.id!r} does not match folder name {folder.name!r}")
    try:
        repo = _read_tree(folder / "repo")
        hidden = _read_tree(folder / "hidden_tests")
        solution = _read_tree(folder / "solution")
    except UnicodeDecodeError as exc:
        raise ValueError(f"non-UTF-8 file: {exc}") from exc
    if not repo:
        raise ValueError("repo/ is empty or missing")
    if sum(len(t) for t in repo.values()) > MAX_REPO_BYTES:
        raise ValueError("repo/ is larger than the 512 KiB cap")
    if any("/" in name for name in hidden):
        raise ValueError("hidden_tests/ must be flat (files are copied into tests/)")
    clash = [n for n in hidden if f"tests/{n}" in repo]
    if clash:
        raise ValueError(f"hidden test file names clash with visible tests: {clash}")
    for path in solution:
        if path not in repo:
            raise ValueError(f"solution/{path} is not a file of repo/")
    for bug in spec.bugs:
        if bug.file not in repo:
            raise ValueError(f"bug file {bug.file} is not in repo/")
        if bug.line and bug.line > repo[bug.file].count("\n") + 1:
            raise ValueError(f"bug line {bug.line} is past the end of {bug.file}")
    if not spec.no_bug and not solution:
        raise ValueError("solution/ is empty")
    if spec.entry and spec.entry not in repo:
        raise ValueError(f"entry {spec.entry} is not in repo/")
    return Task(spec=spec, root=folder, repo=repo, hidden=hidden, solution=solution)


@dataclass
class TaskSet:
    """All loaded tasks by id, plus the folders that were skipped and why."""

    tasks: dict[str, Task]
    problems: dict[str, str]

    def select(self, *, task_name: str | None = None, task_id: str | None = None, category: str | None = None,
               cwe: str | None = None, tier: int | None = None, split: str | None = None) -> list[Task]:
        """Tasks matching every given filter, sorted by id (deterministic)."""
        if task_id is not None:
            by_public = {t.public_id: t for t in self.tasks.values()}
            task = self.tasks.get(task_id) or by_public.get(task_id)
            return [task] if task else []
        found = []
        for task in sorted(self.tasks.values(), key=lambda t: t.id):
            spec = task.spec
            if task_name and spec.difficulty != task_name:
                continue
            if category and (spec.no_bug or category not in {b.category for b in spec.bugs}):
                continue
            if cwe and cwe.upper() not in spec.cwes:
                continue
            if tier is not None and spec.tier != tier:
                continue
            if split and spec.split != split:
                continue
            found.append(task)
        return found


def task_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """The built-in task_repos/ plus AUTOCODERL_TASKS_DIR (':'-separated) and explicit extra dirs, each once
    (a folder named twice, e.g. by --tasks-dir and the variable, must not report its tasks as duplicates)."""
    env = os.environ.get("AUTOCODERL_TASKS_DIR", "")
    dirs = [BUILTIN_TASKS_DIR, *(Path(p) for p in env.split(":") if p), *(Path(p) for p in extra)]
    seen: set[Path] = set()
    unique = []
    for path in dirs:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            unique.append(path)
    return unique


def load_tasks(dirs: Iterable[Path] | None = None) -> TaskSet:
    """Load every task folder under `dirs`; broken folders land in `problems`, never raise."""
    tasks: dict[str, Task] = {}
    problems: dict[str, str] = {}
    for root in dirs if dirs is not None else task_dirs():
        if not root.is_dir():
            problems[str(root)] = "tasks directory does not exist"
            continue
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
            try:
                task = load_task(folder)
            except (ValueError, OSError) as exc:
                problems[str(folder)] = str(exc)
                continue
            if task.id in tasks:
                problems[str(folder)] = f"duplicate task id {task.id}"
                continue
            tasks[task.id] = task
    return TaskSet(tasks, problems)
