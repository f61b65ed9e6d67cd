"""Procedural task variants: `make_variant(task, seed)` varies a task's surface, never its bug.

Each transformation is seeded from (task content, seed) and applied alike to the repo, the hidden
tests, the reference solution and the spec:
- top-level functions of source modules are reordered (environment/corpus/reorder.py), bug lines follow;
- test functions get a new naming scheme (`test_x` -> `test_x_holds`, `test_that_x`, ...);
- each top-level package is renamed to a code name: imports and `pkg.mod` references are rewritten
  token by token (NAME tokens of import statements and of `pkg.` attribute chains; in strings and
  comments only `pkg/...` and `pkg.<submodule or package member>`; plus exact "pkg" strings given
  to getLogger/import_module/logger=), and so are the file paths, the spec's files, hints and text.
A pure function over texts: deterministic (string-seeded RNG, sorted iteration), nothing touches disk.
"""

from __future__ import annotations

import ast
import io
import keyword
import random
import re
import sys
import tokenize
from collections.abc import Callable

from environment.corpus.reorder import apply_order, follow_order, layout
from environment.corpus.tasks import Task, TaskSpec
from graders import pyast

CODE_NAMES = (
    "acornly", "alderbank", "amberline", "bramblewood", "brightmoor", "cinderfall", "cobaltway",
    "copperfield", "driftwood", "elmstead", "emberly", "fernhollow", "foxglove", "glenhaven",
    "granitepeak", "harborview", "hazelmere", "ironbridge", "juniperhill", "kestrelton", "larchmont",
    "lindenway", "marblehead", "meadowlark", "nettlebrook", "northwind", "oakhurst", "opalcrest",
    "pebblebrook", "pinecrest", "quarrytown", "ravenstone", "redfern", "saffronhill", "silverbirch",
    "stonebridge", "thistledown", "timberline", "umberfield", "valewood", "willowmere", "wrenfield",
    "yarrowdale", "zephyrton",
)
TEST_SUFFIXES = ("holds", "case", "scenario", "behaviour", "example", "works", "is_correct", "check")
TEST_PREFIXES = ("that", "when", "it", "check", "verify", "should")
NAME_CALLS = {"getLogger", "import_module", "__import__", "find_spec", "getChild"}
_FSTRING_MIDDLE = getattr(tokenize, "FSTRING_MIDDLE", -1)


def _rng(task: Task, seed: int, what: str) -> random.Random:
    return random.Random(f"{task.content_hash}:{seed}:{what}")  # str seeds hash with sha512: stable


def _tokens(text: str) -> tuple[list[tokenize.TokenInfo], str]:
    """Tokens, and the text past the last token when tokenizing stopped early (syntax-error files)."""
    tokens: list[tokenize.TokenInfo] = []
    try:
        tokens.extend(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        row, col = tokens[-1].end if tokens else (1, 0)
        lines = io.StringIO(text).readlines()
        return tokens, (lines[row - 1][col:] if row <= len(lines) else "") + "".join(lines[row:])
    return tokens, ""


def _offsets(text: str) -> list[int]:
    offsets = [0]
    for line in io.StringIO(text).readlines():
        offsets.append(offsets[-1] + len(line))
    return offsets


def _source(text: str, tok: tokenize.TokenInfo) -> str:
    offsets = _offsets(text)
    return text[offsets[tok.start[0] - 1] + tok.start[1]:offsets[tok.end[0] - 1] + tok.end[1]]


def _edit(text: str, edits: list[tuple[tuple[int, int], tuple[int, int], str]]) -> str:
    offsets = _offsets(text)
    out, last = [], 0
    for (r1, c1), (r2, c2), new in sorted(edits):
        start, end = offsets[r1 - 1] + c1, offsets[r2 - 1] + c2
        out += [text[last:start], new]
        last = end
    return "".join(out) + text[last:]


# ---- (a) package renames ------------------------------------------------------------------------

def _text_pattern(old: str, members: set[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(m) for m in sorted(members, key=lambda m: (-len(m), m)))
    follow = rf"/[A-Za-z_]|\.(?:{alternatives})\b" if members else r"/[A-Za-z_]"
    return re.compile(rf"(?<![\w./-]){re.escape(old)}(?={follow})")


def _rename_module_code(text: str, old: str, new: str, pattern: re.Pattern[str]) -> str | None:
    """`text` (Python) with package `old` renamed, or None if part of it cannot be tokenized and names it."""
    tokens, rest = _tokens(text)
    if re.search(rf"\b{re.escape(old)}\b", rest):
        return None
    code = [t for t in tokens if t.type not in (tokenize.NL, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)]
    edits, binds, mode, expect, at_start = [], False, None, False, True
    for i, tok in enumerate(code):
        if tok.type == tokenize.NEWLINE or tok.string == ";":
            mode, expect, at_start = None, False, True
            continue
        if at_start and tok.string in ("import", "from"):
            mode, expect = tok.string, True
        elif mode and expect and tok.type == tokenize.NAME:
            expect = False
            if tok.string == old:
                edits.append((tok.start, tok.end, new))
                j = i + 1
                while j + 1 < len(code) and code[j].string == "." and code[j + 1].type == tokenize.NAME:
                    j += 2
                binds |= mode == "import" and (j >= len(code) or code[j].string != "as")  # binds `old`
        elif mode == "from" and expect and tok.string in (".", "..."):
            expect = False
        elif mode == "import" and tok.string == ",":
            expect = True
        elif mode == "from" and tok.string == "import":
            mode = None
        at_start = False
    for i, tok in enumerate(code):
        before = code[i - 1].string if i else ""
        if tok.type == tokenize.NAME and tok.string == old and binds and before != "." \
                and i + 1 < len(code) and code[i + 1].string == "." and (tok.start, tok.end, new) not in edits:
            edits.append((tok.start, tok.end, new))
        elif tok.type == tokenize.STRING and re.fullmatch(rf"[rRbBuU]?(['\"]){re.escape(old)}\1", tok.string) \
                and i >= 2 and ((before == "(" and code[i - 2].string in NAME_CALLS)
                                or (before == "=" and code[i - 2].string == "logger")):
            edits.append((tok.start, tok.end, tok.string.replace(old, new)))
        elif tok.type in (tokenize.STRING, _FSTRING_MIDDLE) and pattern.search(tok.string) \
                and _source(text, tok) == tok.string:
            edits.append((tok.start, tok.end, pattern.sub(new, tok.string)))
    edits += [(t.start, t.end, pattern.sub(new, t.string)) for t in tokens
              if t.type == tokenize.COMMENT and pattern.search(t.string)]
    return _edit(text, edits)


def _packages(task: Task) -> list[str]:
    found = {p.split("/")[0] for p in task.repo if "/" in p and p.endswith(".py")}
    return sorted(p for p in found if p != "tests" and p.isidentifier() and not keyword.iskeyword(p))


def _members(task: Task, package: str) -> set[str]:
    paths = [p for tree in (task.repo, task.solution) for p in tree if p.startswith(package + "/")]
    members = {p.split("/")[1].removesuffix(".py") for p in paths}
    init = task.repo.get(f"{package}/__init__.py", "")
    members |= {t.string for t in _tokens(init)[0] if t.type == tokenize.NAME}
    return {m for m in members if m.isidentifier() and m != "__init__"}


def _rename_package(task: Task, old: str, new: str) -> Task | None:
    pattern = _text_pattern(old, _members(task, old))
    trees = []
    for tree in (task.repo, task.hidden, task.solution):
        out = {}
        for path, text in tree.items():
            moved = new + path[len(old):] if path.startswith(old + "/") else path
            if not re.search(rf"\b{re.escape(old)}\b", text):
                out[moved] = text
            elif path.endswith(".py"):
                out[moved] = _rename_module_code(text, old, new, pattern)
            else:
                out[moved] = pattern.sub(new, text)
            if out[moved] is None:
                return None
        trees.append(dict(sorted(out.items())))

    def move(path: str | None) -> str | None:
        return new + path[len(old):] if path and path.startswith(old + "/") else path

    def dotted(names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(new + n[len(old):] if n == old or n.startswith(old + ".") else n for n in names)

    spec = task.spec
    checks = spec.ast_checks.model_copy(update={"forbidden_calls": dotted(spec.ast_checks.forbidden_calls),
                                                "forbidden_imports": dotted(spec.ast_checks.forbidden_imports),
                                                "required_calls": dotted(spec.ast_checks.required_calls)})
    bugs = tuple(b.model_copy(update={"file": move(b.file), "hint": b.hint and pattern.sub(new, b.hint)})
                 for b in spec.bugs)
    spec = spec.model_copy(update={"title": pattern.sub(new, spec.title), "entry": move(spec.entry),
                                   "description": pattern.sub(new, spec.description), "bugs": bugs,
                                   "ast_checks": checks})
    return Task(spec=spec, root=task.root, repo=trees[0], hidden=trees[1], solution=trees[2])


def _words(task: Task) -> set[str]:
    texts = [*task.repo, *task.repo.values(), *task.hidden.values(), *task.solution.values(),
             task.spec.model_dump_json()]
    return {w.lower() for text in texts for w in re.findall(r"[A-Za-z_]\w*", text)}


def rename_packages(task: Task, rng: random.Random) -> Task:
    used = _words(task)
    free = [n for n in CODE_NAMES if n not in used and n not in sys.stdlib_module_names]
    for old in _packages(task):
        if not free:
            break
        new = free.pop(rng.randrange(len(free)))
        task = _rename_package(task, old, new) or task
    return task


# ---- (b) test names -----------------------------------------------------------------------------

def _test_functions(text: str) -> list[str]:
    try:
        tree = pyast.parse(text)
    except SyntaxError:
        return []
    scopes = [tree.body, *(c.body for c in tree.body if isinstance(c, ast.ClassDef) and c.name.startswith("Test"))]
    return [f.name for body in scopes for f in body
            if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef) and f.name.startswith("test_")]


def _rename_names(text: str, renames: dict[str, str]) -> str:
    tokens = [t for t in _tokens(text)[0] if t.type not in (tokenize.NL, tokenize.COMMENT)]
    return _edit(text, [(t.start, t.end, renames[t.string]) for i, t in enumerate(tokens)
                        if t.type == tokenize.NAME and t.string in renames and (i == 0 or tokens[i - 1].string != ".")])


def rename_tests(task: Task, rng: random.Random) -> Task:
    if rng.random() < 0.5:
        words, scheme = TEST_SUFFIXES, "{name}_{word}"
    else:
        words, scheme = TEST_PREFIXES, "test_{word}_{rest}"
    word = rng.choice(words)

    def renamed(name: str, taken: set[str]) -> str:
        for candidate in [word, *words]:
            new = scheme.format(name=name, word=candidate, rest=name[5:])
            if new not in taken:
                return new
        return name

    def tree(files: dict[str, str], is_test: Callable[[str], bool]) -> dict[str, str]:
        out = {}
        for path, text in files.items():
            names = _test_functions(text) if is_test(path) else []
            taken = set(re.findall(r"[A-Za-z_]\w*", text)) if names else set()
            renames = {}
            for name in names:
                renames[name] = renamed(name, taken)
                taken.add(renames[name])
            out[path] = _rename_names(text, renames) if renames else text
        return out

    def visible(path: str) -> bool:
        return path.startswith("tests/") and path.rsplit("/", 1)[-1].startswith("test") and path.endswith(".py")

    return Task(spec=task.spec, root=task.root, repo=tree(task.repo, visible),
                hidden=tree(task.hidden, lambda p: p.endswith(".py")), solution=task.solution)


# ---- (c) function order -------------------------------------------------------------------------

def reorder_functions(task: Task, rng: random.Random) -> Task:
    repo, solution, moved = dict(task.repo), dict(task.solution), {}
    for path in sorted(task.source_files):
        mine = layout(task.repo[path])
        theirs = layout(task.solution[path]) if path in task.solution else None
        if mine is None or len(mine.functions) < 2 or (path in task.solution and theirs is None):
            continue
        order = mine.functions
        rng.shuffle(order)
        if order == mine.functions:  # never serve the original order
            order = order[1:] + order[:1]
        repo[path], moved[path] = apply_order(mine, order)
        if theirs is not None:
            solution[path] = apply_order(theirs, follow_order(order, theirs.functions))[0]
    bugs = tuple(b.model_copy(update={"line": moved[b.file][b.line - 1] + 1})
                 if b.line and b.file in moved else b for b in task.spec.bugs)
    return Task(spec=task.spec.model_copy(update={"bugs": bugs}), root=task.root, repo=repo,
                hidden=task.hidden, solution=solution)


def make_variant(task: Task, variant_seed: int) -> Task:
    """The task with its surface varied by `variant_seed` (same task + seed -> identical result)."""
    varied = reorder_functions(task, _rng(task, variant_seed, "reorder"))
    varied = rename_tests(varied, _rng(task, variant_seed, "tests"))
    varied = rename_packages(varied, _rng(task, variant_seed, "packages"))
    spec = TaskSpec.model_validate(varied.spec.model_dump())  # re-check the contract
    return Task(spec=spec, root=task.root, repo=varied.repo, hidden=varied.hidden, solution=varied.solution)
