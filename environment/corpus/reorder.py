"""Reordering a module's top-level function definitions without changing what it does.

Only `def` statements move, each with its decorators and the comment lines directly above it; every
other statement, and the blank lines between statements, keep their places. A module is left alone
when it does not parse, defines a name twice, uses one of its functions while being imported (a
decorator, a default value, a class body, a registry dict ...) before its last `def`, or when a `def`
reads at definition time (decorators, defaults, evaluated annotations) a name bound after the first `def`.
"""

from __future__ import annotations

import ast
import io
from dataclasses import dataclass

from graders import pyast


@dataclass(frozen=True)
class Layout:
    """A module cut into pieces of 0-based line indices: gaps (fixed), statements and functions."""

    lines: tuple[str, ...]
    pieces: tuple[tuple[str | None, tuple[int, ...]], ...]  # (function name | None, lines)
    slots: tuple[int, ...]  # indices into `pieces` that hold a function

    @property
    def functions(self) -> list[str]:
        return [self.pieces[i][0] or "" for i in self.slots]


def _loads_at_import(stmt: ast.stmt, annotations: bool = True) -> set[str]:
    """Names a top-level statement reads while the module is being imported."""
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
        args = stmt.args
        parts: list[ast.AST | None] = [*stmt.decorator_list, *args.defaults, *args.kw_defaults]
        if annotations:  # evaluated at def time unless `from __future__ import annotations`
            parts += [stmt.returns, *(a.annotation for a in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                                                             args.vararg, args.kwarg) if a is not None)]
    elif isinstance(stmt, ast.ClassDef):
        parts = [*stmt.decorator_list, *stmt.bases, *stmt.keywords]
        return {n for p in parts for n in _names(p)} | {n for s in stmt.body for n in _loads_at_import(s)}
    else:
        parts = [stmt]
    return {n for p in parts if p is not None for n in _names(p)}


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _bound(stmt: ast.stmt) -> set[str]:
    """Names a non-function top-level statement binds."""
    if isinstance(stmt, ast.ClassDef):
        return {stmt.name}
    if isinstance(stmt, ast.Import | ast.ImportFrom):
        return {(a.asname or a.name).split(".")[0] for a in stmt.names}
    return {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def layout(text: str) -> Layout | None:
    """The module's pieces, or None when its functions cannot safely move."""
    if not text.endswith("\n"):
        return None
    try:
        tree = pyast.parse(text)
    except (SyntaxError, ValueError):
        return None
    lines = tuple(io.StringIO(text).readlines())
    body = tree.body
    funcs = [s.name for s in body if isinstance(s, ast.FunctionDef)]
    if len(set(funcs)) != len(funcs) or any(_bound(s) & set(funcs) for s in body if not isinstance(s, ast.FunctionDef)):
        return None
    defs = [i for i, s in enumerate(body) if isinstance(s, ast.FunctionDef)]
    if not defs or any(_loads_at_import(s) & set(funcs) for s in body[:defs[-1] + 1]):
        return None
    # a function may land in any slot: what it reads at def time must exist before the first one
    lazy = any(isinstance(s, ast.ImportFrom) and s.module == "__future__" and
               any(a.name == "annotations" for a in s.names) for s in body)
    late = {n for s in body[defs[0]:] if not isinstance(s, ast.FunctionDef) for n in _bound(s)}
    if any(_loads_at_import(body[i], annotations=not lazy) & late for i in defs):
        return None
    pieces: list[tuple[str | None, tuple[int, ...]]] = []
    slots: list[int] = []
    cursor = 0  # first line index not yet assigned to a piece
    for stmt in body:
        start = min([stmt.lineno, *(d.lineno for d in getattr(stmt, "decorator_list", ()))]) - 1
        end = (stmt.end_lineno or stmt.lineno) - 1
        while start - 1 >= cursor and lines[start - 1].lstrip().startswith("#"):
            start -= 1  # comments directly above travel with the statement
        if start < cursor:
            return None  # two statements share a line
        if isinstance(stmt, ast.FunctionDef):
            while end + 1 < len(lines) and lines[end + 1][:1] in " \t" and lines[end + 1].lstrip().startswith("#"):
                end += 1  # indented trailing comments belong to the body
        pieces.append((None, tuple(range(cursor, start))))
        if isinstance(stmt, ast.FunctionDef):
            slots.append(len(pieces))
        pieces.append((stmt.name if isinstance(stmt, ast.FunctionDef) else None, tuple(range(start, end + 1))))
        cursor = end + 1
    pieces.append((None, tuple(range(cursor, len(lines)))))
    return Layout(lines, tuple(pieces), tuple(slots))


def apply_order(lay: Layout, order: list[str]) -> tuple[str, list[int]]:
    """Text with the functions in `order` (a permutation of `lay.functions`) and the old->new line map."""
    by_name = {lay.pieces[i][0]: lay.pieces[i] for i in lay.slots}
    pieces = list(lay.pieces)
    for slot, name in zip(lay.slots, order, strict=True):
        pieces[slot] = by_name[name]
    mapping = [0] * len(lay.lines)
    out: list[str] = []
    for _, indices in pieces:
        for old in indices:
            mapping[old] = len(out)
            out.append(lay.lines[old])
    return "".join(out), mapping


def follow_order(order: list[str], names: list[str]) -> list[str]:
    """`names` (e.g. a solution's functions) arranged like `order`; a name not in `order` stays right
    after the function it follows in `names` (or first, when nothing precedes it)."""
    known = set(order)
    after: dict[str | None, list[str]] = {}
    previous: str | None = None
    for name in names:
        if name in known:
            previous = name
        else:
            after.setdefault(previous, []).append(name)
    present = set(names)
    result = list(after.get(None, []))
    for name in order:
        if name in present:
            result += [name, *after.get(name, [])]
    return result
