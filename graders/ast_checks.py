"""Task-declared AST checks on the submitted source: forbidden calls/imports/kwargs absent,
required calls present, public signatures unchanged. Host side; nothing is executed."""

from __future__ import annotations

import ast
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from graders import pyast
from graders.types import Check, GradeSpec
from graders.weights import FIX_WEIGHTS


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else node.attr
    return ""


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local name -> dotted origin for `import x as y` / `from x import y as z`."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                names[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
        elif isinstance(node, ast.ImportFrom) and node.module:
            for a in node.names:
                names[a.asname or a.name] = f"{node.module}.{a.name}"
    return names


def calls_in(tree: ast.AST) -> list[tuple[str, ast.Call]]:
    """Every call with its resolved dotted name (aliases expanded)."""
    aliases = _aliases(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _dotted(node.func)
            head, _, rest = name.partition(".")
            if head in aliases:
                name = aliases[head] + (f".{rest}" if rest else "")
            found.append((name, node))
    return found


def _matches(name: str, pattern: str) -> bool:
    return name == pattern or name.endswith("." + pattern)


def signatures(tree: ast.Module) -> dict[str, str]:
    """Public top-level functions and class methods -> their argument list as source text."""
    sigs: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
            sigs[node.name] = ast.unparse(node.args)
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            sigs[node.name] = "class"
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and (
                        not item.name.startswith("_") or item.name == "__init__"):
                    sigs[f"{node.name}.{item.name}"] = ast.unparse(item.args)
    return sigs


@dataclass(frozen=True)
class _Facts:
    """What the checks read from one file's source."""

    calls: tuple[tuple[str, int, tuple[str, ...]], ...]
    """(resolved dotted name, line, `kw=constant` texts) of every call."""
    imported: frozenset[str]
    signatures: Mapping[str, str]


def _read(text: str) -> _Facts:
    """Raises SyntaxError when `text` does not parse."""
    tree = pyast.parse(text)
    calls = tuple((name, call.lineno, tuple(f"{kw.arg}={kw.value.value!r}".replace("'", "") for kw in call.keywords
                                            if kw.arg and isinstance(kw.value, ast.Constant)))
                  for name, call in calls_in(tree))
    return _Facts(calls, frozenset(_aliases(tree).values()), MappingProxyType(signatures(tree)))


_read_task_file = functools.lru_cache(maxsize=1024)(_read)
"""`_read` of the task's own files (unchanged by a fix), which every evaluation of the task reads again."""


def violations(spec: GradeSpec, files: Mapping[str, str]) -> list[str]:
    """Problems in the final source of every editable file (edited or not)."""
    checks = spec.ast_checks
    problems: list[str] = []
    required_seen: set[str] = set()
    for path, text in sorted(files.items()):
        try:
            facts = _read_task_file(text) if text == spec.original.get(path) else _read(text)
        except SyntaxError as exc:
            problems.append(f"{path} does not parse (line {exc.lineno})")
            continue
        for name, lineno, keywords in facts.calls:
            problems += [f"{path}:{lineno} calls {name}" for p in checks.forbidden_calls if _matches(name, p)]
            required_seen |= {p for p in checks.required_calls if _matches(name, p)}
            for text_kw in keywords:
                problems += [f"{path}:{lineno} passes {p}" for p in checks.forbidden_kwargs
                             if p.replace("'", "").replace('"', "") == text_kw]
        problems += [f"{path} imports {m}" for m in checks.forbidden_imports
                     if any(i == m or i.startswith(m + ".") for i in facts.imported)]
        if checks.preserve_signatures and path in spec.original:
            try:
                before = _read_task_file(spec.original[path]).signatures
            except SyntaxError:
                before = {}
            problems += [f"{path}: public signature of {n} changed or removed" for n, s in before.items()
                         if facts.signatures.get(n) != s]
    problems += [f"required call {p} not found" for p in checks.required_calls if p not in required_seen]
    return problems


def grade_ast(spec: GradeSpec, files: Mapping[str, str]) -> Check:
    problems = violations(spec, files)
    weight = FIX_WEIGHTS["ast"]
    if problems:
        return Check("ast", 0.0, weight, "; ".join(problems[:4]), {"violations": problems})
    return Check("ast", 1.0, weight, "parses; declared AST checks hold")
