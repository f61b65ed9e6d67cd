"""`ast.parse` made safe to call from several threads at once.

CPython 3.11 converts a parsed tree to Python objects with an interpreter-wide recursion counter; two
threads parsing at the same time can trip it ("SystemError: AST constructor recursion depth mismatch"),
as the server's step threads and `tasks validate`'s workers do. One lock around the parse avoids it;
a parse of a 64 KiB file takes a few milliseconds.
"""

from __future__ import annotations

import ast
import threading

_LOCK = threading.Lock()


def parse(source: str, filename: str = "<unknown>") -> ast.Module:
    """`ast.parse(source, filename)`, one thread at a time (raises what ast.parse raises)."""
    with _LOCK:
        return ast.parse(source, filename=filename)
