"""What is refused before anything runs: edits outside the declared sources, oversize fixes,
and code that reaches for the test, interpreter or harness machinery the task does not need.

Isolation cannot stop in-process grade forging (sandbox-hardening.md section 4, rows 9-15), so
this static policy is the first line; canary tests and the exact expected test-id set are the
second (graders/tests_outcome.py).
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from graders import pyast

MAX_FILE_BYTES = 64 * 1024
MAX_TOTAL_BYTES = 256 * 1024
CONFIG_FILES = {"pytest.ini", "setup.cfg", "tox.ini", "pyproject.toml", ".coveragerc", ".bandit", "ruff.toml",
                ".ruff.toml", "setup.py", "conftest.py", "sitecustomize.py", "usercustomize.py"}
MACHINERY_MODULES = {
    "pytest", "_pytest", "pluggy", "coverage", "bandit", "ruff", "ctypes", "cffi", "gc", "inspect", "atexit",
    "signal", "faulthandler", "importlib", "imp", "pkgutil", "runpy", "builtins", "site", "sitecustomize",
    "code", "codeop", "dis", "marshal", "pty", "resource", "multiprocessing", "_thread", "sys", "traceback",
    "linecache", "tracemalloc", "unittest", "doctest", "subprocess", "socket", "os",
    "posix", "nt", "_posixsubprocess", "_socket", "_ctypes", "_signal", "_imp", "_frozen_importlib",
    "_frozen_importlib_external", "_io",
}
"""Usable by a fix only when the task's own code already imports them."""
MACHINERY_ATTRS = {
    "__builtins__", "__import__", "__subclasses__", "__globals__", "__code__", "__closure__", "_getframe",
    "f_back", "f_globals", "f_locals", "f_builtins", "gi_frame", "cr_frame", "settrace", "setprofile",
    "__loader__", "__spec__", "modules", "_exit", "kill", "killpg", "fork", "forkpty", "setsid",
    "__reduce__", "__reduce_ex__", "__dict__", "__self__", "__func__", "cell_contents", "__getattribute__",
    "__mro__", "__bases__", "__base__", "f_code", "tb_frame", "gi_code", "co_consts", "meta_path", "path_hooks",
    "attrgetter", "methodcaller",
}
"""Attributes a fix may use only when the original file already does."""
MACHINERY_CALLS = {"exec", "compile", "breakpoint", "globals", "__import__", "__builtins__", "eval", "vars",
                   "attrgetter", "methodcaller"}
"""Bare names a fix may use only when the original file already does."""
ATTRIBUTE_BUILTINS = {"getattr", "setattr", "delattr", "hasattr"}
COMPUTED_NAME = "getattr/setattr/delattr/hasattr with a computed attribute name"
"""Reported when an attribute builtin gets a name that is not a string literal (or is passed around as a value):
the way to spell a refused attribute (`getattr(typing.sys, "mod" + "ules")`) without writing it."""
SUPPRESSIONS = re.compile(r"#\s*(nosec|noqa|pragma:\s*no\s*(cover|branch))", re.IGNORECASE)


@dataclass(frozen=True)
class PolicyVerdict:
    """Refusal reason (None: accepted), per-file syntax errors and suppression comments added."""

    refusal: str | None = None
    syntax_errors: Mapping[str, str] = field(default_factory=dict)
    suppressions_added: int = 0


def _path_refusal(path: str, editable: Mapping[str, str]) -> str | None:
    p = PurePosixPath(path)
    if path in editable:
        return None
    if p.is_absolute() or ".." in p.parts:
        return f"{path}: paths must stay inside the repo"
    if p.parts and p.parts[0] == "tests" or p.name.startswith("test_"):
        return f"{path}: fixes may not edit or add tests"
    if p.name in CONFIG_FILES or p.suffix == ".pth":
        return f"{path}: fixes may not add or edit tool configuration ({p.name})"
    return f"{path}: not an existing source file of this repo (editable: {', '.join(sorted(editable))})"


def _names_used(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Imported top-level modules, and the machinery names (attributes, bare names, strings) used.

    A machinery module reached as an attribute of an imported one (`typing.sys`, `pathlib.os`, `from pathlib
    import os`) counts as imported; an attribute builtin called with a computed name, or used as a value,
    counts as COMPUTED_NAME."""
    imports: set[str] = set()
    names: set[str] = set()
    aliases: set[str] = set()
    literal_calls: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imports |= {alias.name.split(".")[0] for alias in node.names}
            aliases |= {alias.asname or alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imports.add(node.module.split(".")[0])
            imports |= {alias.name for alias in node.names} & MACHINERY_MODULES
            aliases |= {alias.asname or alias.name for alias in node.names}
            names |= {alias.name for alias in node.names} & (MACHINERY_ATTRS | MACHINERY_CALLS)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ATTRIBUTE_BUILTINS \
                and len(node.args) >= 2 and _is_text(node.args[1]):
            literal_calls.add(id(node.func))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr in MACHINERY_ATTRS:
                names.add(node.attr)
            if node.attr in MACHINERY_MODULES and _rooted_in(node, aliases):
                imports.add(node.attr)
        elif isinstance(node, ast.Name):
            if node.id in MACHINERY_CALLS:
                names.add(node.id)
            elif node.id in ATTRIBUTE_BUILTINS and id(node) not in literal_calls:
                names.add(COMPUTED_NAME)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in MACHINERY_ATTRS:
            names.add(node.value)  # getattr(obj, "__globals__") and friends
    return imports, names


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _rooted_in(node: ast.Attribute, aliases: set[str]) -> bool:
    """`a.b.c` whose root name `a` is an imported module or name."""
    value: ast.AST = node.value
    while isinstance(value, ast.Attribute):
        value = value.value
    return isinstance(value, ast.Name) and value.id in aliases


@functools.lru_cache(maxsize=1024)
def used_by(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(imported top-level modules, machinery names) of a source text; word scan when it does not parse.

    For the task's own texts (original files, reference fix), which every evaluation of the task asks about:
    remembered per text. A fix is analysed afresh (`check_fix` parses it itself)."""
    try:
        imports, names = _names_used(pyast.parse(text))
    except SyntaxError:
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
        imports, names = words & MACHINERY_MODULES, words & (MACHINERY_ATTRS | MACHINERY_CALLS)
    return frozenset(imports), frozenset(names)


def check_fix(changes: Mapping[str, str], editable: Mapping[str, str],
              allowed_imports: frozenset[str] = frozenset(), *, machinery: bool = True) -> PolicyVerdict:
    """Decide whether a fix may run at all. `editable` maps source paths to their original text."""
    total = 0
    for path, text in changes.items():
        if reason := _path_refusal(path, editable):
            return PolicyVerdict(refusal=reason)
        size = len(text.encode("utf-8", "surrogatepass"))
        total += size
        if size > MAX_FILE_BYTES:
            return PolicyVerdict(refusal=f"{path}: {size} bytes exceeds the {MAX_FILE_BYTES}-byte cap per file")
        if "\x00" in text:
            return PolicyVerdict(refusal=f"{path}: NUL bytes are not allowed in source")
    if total > MAX_TOTAL_BYTES:
        return PolicyVerdict(refusal=f"fix is {total} bytes; the cap is {MAX_TOTAL_BYTES}")
    syntax_errors: dict[str, str] = {}
    suppressions = 0
    for path, text in changes.items():
        original = editable[path]
        suppressions += max(0, len(SUPPRESSIONS.findall(text)) - len(SUPPRESSIONS.findall(original)))
        try:
            tree = pyast.parse(text, filename=path)
        except SyntaxError as exc:
            syntax_errors[path] = f"line {exc.lineno}: {exc.msg}"
            continue
        except (ValueError, RecursionError, MemoryError) as exc:
            return PolicyVerdict(refusal=f"{path}: source cannot be parsed safely ({type(exc).__name__})")
        if not machinery:
            continue
        imports, names = _names_used(tree)
        orig_imports, orig_names = used_by(original)
        bad_imports = sorted((imports & MACHINERY_MODULES) - orig_imports - allowed_imports)
        if bad_imports:
            return PolicyVerdict(refusal=f"{path}: imports {', '.join(bad_imports)}, which this task's code "
                                         "does not use (test, interpreter or harness machinery)")
        bad_names = sorted(names - orig_names)
        if bad_names:
            return PolicyVerdict(refusal=f"{path}: uses {', '.join(bad_names)}, which reaches for interpreter "
                                         "or process machinery the original code does not use")
    return PolicyVerdict(syntax_errors=syntax_errors, suppressions_added=suppressions)


def runtime_only(changes: Mapping[str, str], editable: Mapping[str, str],
                 allowed_imports: frozenset[str] = frozenset()) -> PolicyVerdict:
    """check_fix without its machinery refusals (paths and sizes still apply): for testing what the sandbox's
    run-time checks catch on their own, as if an attack had found a spelling the static policy misses."""
    return check_fix(changes, editable, allowed_imports, machinery=False)
