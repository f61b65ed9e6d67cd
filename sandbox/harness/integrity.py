"""Run-time integrity checks inside the test process: nothing the code under test does may turn a
failing assertion into a pass by faking comparisons or by patching the modules the tests call.

Standard library only; loaded by pytest_child before pytest imports any test or repo module.
Static rules (graders/fix_policy.py) are a first filter; this module sees what really happened:

- **Patched modules.** Every library module (stdlib, site-packages, `builtins`) and every test module
  is snapshotted before repo code can run (modules imported later are snapshotted the moment their
  import finishes, through an import hook), and its class is swapped for a guarded subclass whose
  `__setattr__`/`__delattr__` records writes coming from repo code. Library classes' dictionaries are
  snapshotted too. Snapshots are compared after collection, at every passing assertion, after each
  test's call and after its teardown: a changed or added callable in a library or test module, or a
  changed method of a library class, is a violation, however it was written (`setattr`, `vars(m)[...]`).
- **Fake comparisons.** Values a passing assertion compares, the test frame's locals at a passing
  assertion, and classes created after start-up are checked: a class whose comparison methods are not
  the genuine ones of trusted code is probed with random values that are pairwise unequal. An `==`
  that agrees with two of them, a `!=` that denies two of them, or an ordering that says both `<` and
  `>=` is a fake, whatever its form (`class` statement, `type()`, `setattr`, slot reuse, `staticmethod`).
- **Frame peeking.** An audit hook (which cannot be removed) records repo code reading frames
  (`sys._getframe`, traceback/generator frames, function code objects).
- **Forged test code.** The same hook records repo code compiling code under a test or library file's name
  or building code objects (`compile`, `code.__new__`), and any read or write of a bytecode cache (`.pyc`)
  inside the repo (the harness writes none, so one there was planted to replace a test module). Test modules
  are compiled by pytest through `trust_test_module`, which checks the source against the driver's hashes;
  every collected test must run code from those compilations (`check_items`).
- **Reach.** Violations leave the process the moment they are recorded (`on_violation`), so disarming the
  checker afterwards changes nothing; the checker is held in closures, never in a module attribute the code
  under test can reach without machinery (the test process drops the harness's modules from `sys.modules`).

Who did something is decided by the stack: the first frame (innermost first) that is neither library
code nor synthetic (`<string>`) names the actor, repo source (the candidate) or a test file.
Violations are reported as `{kind, target, test, detail}`; the grader withholds all test credit.
"""

from __future__ import annotations

import enum
import fnmatch
import hashlib
import operator
import os
import random
import sys
import sysconfig
import threading
import types

COMPARISONS = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__")
REPORTING_MODULES = ("_pytest.reports", "_pytest.runner", "_pytest.python", "_pytest.main", "_pytest.nodes",
                     "_pytest.fixtures", "_pytest.outcomes", "_pytest.terminal", "_pytest.config", "pluggy._hooks",
                     "pluggy._manager", "pluggy._callers")
"""pytest's classes a forger would patch to rewrite outcomes: checked after every test (the rest at the end)."""
VALUE_TYPES = (str, bytes, bytearray, int, float, complex, bool, list, tuple, dict, set, frozenset)
"""Builtin value types; decimal, fractions and datetime types are added once those modules load."""
HARMLESS_OVERRIDES = frozenset({
    "__init__", "__new__", "__repr__", "__reduce__", "__reduce_ex__", "__getnewargs__", "__getnewargs_ex__",
    "__init_subclass__", "__class_getitem__", "__doc__", "__module__", "__qualname__", "__dict__", "__weakref__",
    "__slots__", "__annotations__", "__hash__", "__getstate__", "__setstate__", "__copy__", "__deepcopy__",
    "__sizeof__", "__format__", "__str__", "__orig_bases__", "__parameters__", "__firstlineno__",
    "__static_attributes__"})
"""What a value subclass may redefine without changing what the value says in a comparison or a query."""
VALUE_NAMES = frozenset({"Decimal", "Fraction", "date", "datetime", "time", "timedelta"})
SKIP_MODULES = ("sys", "__main__", "__mp_main__", "_pytest", "pytest", "pluggy", "coverage", "py", "iniconfig",
                "pytest_timeout", "autocoderl_")
"""Modules that mutate their own globals while pytest runs (guarded against repo writes, never diffed)."""
FRAME_EVENTS = {"sys._getframe", "sys._current_frames", "gc.get_objects", "gc.get_referrers", "gc.get_referents"}
FRAME_ATTRS = {"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back", "__code__"}
CODE_EVENTS = {"compile", "code.__new__", "marshal.loads", "marshal.load"}
TEST_MODULE_PATTERNS = ("test_*.py", "*_test.py")
"""The harness's python_files: modules pytest collects (and compiles through trust_test_module)."""
MAX_SCAN = 2000
MAX_VIOLATIONS = 20
_MISSING = object()
_SlotWrapper = type(object.__eq__)
_MethodWrapper = type((0).__eq__)


def _relevant(value: object) -> bool:
    """Values whose rebinding can change what a test computes: callables and classes, not submodules."""
    return not isinstance(value, types.ModuleType) and (isinstance(value, type) or callable(value))


def _same(before: dict, now) -> bool:  # noqa: ANN001 - a dict or a mappingproxy
    """Every key of `before` is in `now` with the identical value (C-speed: this runs after every test)."""
    try:
        current = operator.itemgetter(*before)(now)
    except KeyError:
        return False
    if len(before) == 1:
        current = (current,)
    return not any(map(operator.is_not, before.values(), current))


def _code_file(value: object) -> str:
    """The file a function, property or static/class method was written in ('' when it has none)."""
    for attr in ("fget", "__func__", "__wrapped__"):
        value = getattr(value, attr, None) or value
    code = getattr(value, "__code__", None)
    return os.path.realpath(code.co_filename) if isinstance(code, types.CodeType) else ""


def _skipped(module: str) -> bool:
    """A module in SKIP_MODULES, or in a package there."""
    return module.startswith("autocoderl_") or module.split(".", 1)[0] in SKIP_MODULES


def _method_like(value: object) -> bool:
    """Class attributes that decide behaviour: callables and descriptors (not caches such as __slotnames__)."""
    return value is not None and (callable(value) or hasattr(type(value), "__get__"))


class _Opaque:
    """A probe value nobody else can have seen (its class is private to the checker)."""

    __slots__ = ("token",)

    def __init__(self, token: int) -> None:
        self.token = token


def _truth(call) -> bool | None:  # noqa: ANN001
    try:
        return bool(call())
    except BaseException:  # noqa: BLE001 - the code under test may raise anything, even SystemExit
        return None


class Integrity:
    """The checker of one test process. `install()` takes the snapshot (before any repo code can run; the warm
    harness does it once and forks its evaluation children from there); `bind()` names the repo and its tests."""

    def __init__(self, harness_dir: str) -> None:
        self.repo = "//unbound/"
        self.test_roots: tuple[str, ...] = ()
        paths = sysconfig.get_paths()
        roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, os.path.realpath(harness_dir),
                 *(paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib"))}
        roots |= {os.path.realpath(r) for r in roots}
        self.library_roots = tuple(sorted(r.rstrip("/") + "/" for r in roots if r))
        self.violations: list[dict] = []
        self._seen: set[tuple[str, str]] = set()
        self.current_test: str | None = None
        self._modules: dict[str, tuple[types.ModuleType, dict[str, object], int]] = {}
        self._classes: dict[int, tuple[type, dict[str, object]]] = {}
        self._trusted_classes: set[int] = set()
        self._keep: list[type] = []
        self._verdicts: dict[tuple, str | None] = {}
        self._sanctioned: dict[tuple[str, str], object] = {}
        self._verdicts_by_class: set[int] = set()
        self._groups: dict[str, list[int]] | None = None
        self._groups_size = 0
        self.test_files: dict[str, str] = {}
        """Repo-relative path -> sha256 of every file under the test paths, as the driver unpacked them."""
        self._kind_cache: dict[str, str] = {}
        self._local = threading.local()
        self._rng = random.SystemRandom()
        self._test_code: dict[int, types.CodeType] = {}
        self._compiled_files: set[str] = set()
        """Code objects pytest compiled from verified test sources (and everything nested in them), by id."""
        self.on_violation = None
        """Called with each violation as it is recorded (the test process sends it out at once)."""

    def bind(self, repo: str, test_paths: list[str], test_files: dict[str, str]) -> None:
        """The repo under test (its sources are the candidate's), its test paths and their expected hashes."""
        self.repo = os.path.realpath(repo).rstrip("/") + "/"
        self.test_roots = tuple(os.path.realpath(os.path.join(repo, p.split("::")[0])).rstrip("/")
                                for p in test_paths)
        self.test_files = dict(test_files)
        self._kind_cache.clear()

    # ---- who is acting ------------------------------------------------------------------------

    def file_kind(self, filename: str) -> str:
        """library | synthetic | test | repo (the candidate's source) for a code object's file name."""
        kind = self._kind_cache.get(filename)
        if kind is None:
            if not filename or filename.startswith("<"):
                kind = "synthetic"
            else:
                real = os.path.realpath(filename)
                if real.startswith(self.repo):
                    kind = "test" if any(real == r or real.startswith(r + "/") for r in self.test_roots) else "repo"
                else:
                    kind = "library"  # outside the repo: the interpreter's, the venv's or the harness's own code
            self._kind_cache[filename] = kind
        return kind

    def actor(self, frame: types.FrameType | None) -> str | None:
        """'repo' or 'test' for the first frame outward that is neither library nor synthetic code."""
        while frame is not None:
            kind = self.file_kind(frame.f_code.co_filename)
            if kind in ("repo", "test"):
                return kind
            frame = frame.f_back
        return None

    def record(self, kind: str, target: str, detail: str) -> None:
        key = (kind, target)
        if key in self._seen or len(self.violations) >= MAX_VIOLATIONS:
            return
        self._seen.add(key)
        violation = {"kind": kind, "target": target, "test": self.current_test, "detail": detail}
        self.violations.append(violation)
        if self.on_violation is not None:
            self.on_violation(violation)

    # ---- start-up -------------------------------------------------------------------------------

    def install(self) -> None:
        """Snapshot every loaded library module and class, guard them, hook imports and audit events.
        Call before pytest loads any conftest, test or repo module."""
        for name, module in list(sys.modules.items()):
            if isinstance(module, types.ModuleType):
                self.adopt(module, name)
        self._walk_classes(trust=True)
        sys.meta_path.insert(0, _snapshot_finder(self))
        sys.addaudithook(self._audit)

    def is_library_module(self, module: types.ModuleType) -> bool:
        filename = getattr(module, "__file__", None)
        return filename is None or self.file_kind(filename) == "library"

    def adopt(self, module: types.ModuleType, name: str | None = None) -> None:
        """Snapshot a library or test module now (its import just finished) and guard its attributes."""
        name = name or module.__name__
        library = self.is_library_module(module)
        if not library and self.file_kind(module.__file__) != "test":
            return  # the candidate's own modules are its own business
        if type(module) is types.ModuleType and name != "sys":
            try:
                module.__class__ = _GuardedModule
            except TypeError:
                pass
        if _skipped(name) or name in self._modules:
            return
        namespace = vars(module)
        items = list(namespace.items())
        self._modules[name] = (module, {k: v for k, v in items if _relevant(v)}, len(items))
        if library:
            for value in list(namespace.values()):
                if isinstance(value, type) and value.__module__ == name:
                    self._trust_class(value)
            if name in ("decimal", "fractions", "datetime"):
                global VALUE_TYPES
                VALUE_TYPES += tuple(v for k, v in namespace.items() if isinstance(v, type) and k in VALUE_NAMES
                                     and v not in VALUE_TYPES)

    def _trust_class(self, cls: type) -> None:
        if id(cls) in self._trusted_classes:
            return
        self._trusted_classes.add(id(cls))
        self._keep.append(cls)
        module = getattr(cls, "__module__", None)
        if cls.__flags__ & (1 << 9) and isinstance(module, str) and not module.startswith("autocoderl_"):
            # a heap type (pytest's own included): its dict can be changed, so snapshot it
            self._classes[id(cls)] = (cls, dict(vars(cls)))

    def _walk_classes(self, *, trust: bool) -> list[type]:
        """Every live class; with `trust`, remember them all as trusted (start-up). Returns the new ones."""
        found: list[type] = []
        stack = [object]
        seen: set[int] = set()
        while stack:
            cls = stack.pop()
            try:
                subs = type.__subclasses__(cls)
            except TypeError:
                continue
            for sub in subs:
                if id(sub) in seen:
                    continue
                seen.add(id(sub))
                stack.append(sub)
                if trust:
                    self._trust_class(sub)
                elif id(sub) not in self._trusted_classes:
                    found.append(sub)
        return found

    # ---- guards -----------------------------------------------------------------------------------

    def module_write(self, module: types.ModuleType, name: str, value: object, deleting: bool) -> None:
        """A guarded module attribute is being set or deleted. Repo code may not do that; library code (imports
        binding submodules, warnings.catch_warnings, C accelerators) and tests (monkeypatch) may, and what they
        write becomes the expected value. The writer is the innermost frame that is not synthetic."""
        if getattr(self._local, "busy", False) or isinstance(value, types.ModuleType):
            return
        writer = sys._getframe(2)
        while writer is not None and self.file_kind(writer.f_code.co_filename) == "synthetic":
            writer = writer.f_back
        if writer is not None and self.file_kind(writer.f_code.co_filename) == "repo":
            verb = "deleted" if deleting else "rebound"
            self.record("patched_module", f"{module.__name__}.{name}", f"repo code {verb} {module.__name__}.{name}")
            return
        self._sanctioned[(module.__name__, name)] = _MISSING if deleting else value

    def _audit(self, event: str, args: tuple) -> None:
        if event == "open":
            path = args[0] if args else None
            if not isinstance(path, str) and isinstance(path, os.PathLike):
                path = os.fspath(path)
            if isinstance(path, str) and path.endswith(".pyc"):
                self._bytecode_opened(path)
            return
        if event not in FRAME_EVENTS and event not in CODE_EVENTS and not (
                event == "object.__getattr__" and len(args) == 2 and args[1] in FRAME_ATTRS):
            return
        local = self._local
        if getattr(local, "busy", False):
            return
        local.busy = True
        try:
            frame = sys._getframe(1)
            while frame is not None and self.file_kind(frame.f_code.co_filename) == "synthetic":
                frame = frame.f_back
            if frame is None or self.file_kind(frame.f_code.co_filename) != "repo":
                return
            if event == "compile":
                name = args[1] if len(args) > 1 and isinstance(args[1], str) else ""
                if self.file_kind(name) in ("test", "library"):
                    self.record("forged_code", name, f"repo code compiled code under the name of {name}")
            elif event in CODE_EVENTS:
                self.record("forged_code", event, f"repo code built a code object ({event})")
            else:
                what = event if event in FRAME_EVENTS else args[1]
                self.record("introspection", what, f"repo code read interpreter frames or code objects ({what})")
        finally:
            local.busy = False

    def _bytecode_opened(self, path: str) -> None:
        local = self._local
        if getattr(local, "busy", False):
            return
        local.busy = True
        try:
            real = os.path.realpath(path)
            if real.startswith(self.repo) and os.path.exists(real):  # the import system tries the cache path first
                where = real[len(self.repo):]
                self.record("forged_bytecode", where, f"a bytecode cache inside the repo was opened ({where}); "
                                                      "the harness writes none")
        finally:
            local.busy = False

    # ---- test code ----------------------------------------------------------------------------------

    def trust_test_module(self, path: str, source: bytes, code: types.CodeType) -> None:
        """pytest compiled the test module at `path` from `source`: trust the code (and all code nested in it)
        when the source is what the driver unpacked."""
        name = os.path.relpath(os.path.realpath(path), self.repo.rstrip("/"))
        if self.test_files and self.test_files.get(name) != hashlib.sha256(source).hexdigest():
            self.record("modified_tests", name, f"test file {name} was compiled from a source that is not the one "
                                                "unpacked")
            return
        self._compiled_files.add(path)
        stack = [code]
        while stack:
            item = stack.pop()
            self._test_code[id(item)] = item
            stack.extend(c for c in item.co_consts if isinstance(c, types.CodeType))

    def check_items(self, items: list) -> None:
        """Every collected test runs code pytest compiled from its verified source (a decorator's wrapper from a
        library aside): not code loaded from a planted cache, served by a finder or swapped in afterwards."""
        for item in items:
            function = getattr(item, "obj", None)
            function = getattr(function, "__func__", function)
            code = getattr(function, "__code__", None)
            if not isinstance(code, types.CodeType) or id(code) in self._test_code:
                continue
            kind = self.file_kind(code.co_filename)
            if kind == "library" or (kind == "test" and code.co_filename not in self._compiled_files and not any(
                    fnmatch.fnmatch(os.path.basename(code.co_filename), p) for p in TEST_MODULE_PATTERNS)):
                continue  # a decorator's wrapper, or a test method inherited from a helper module of the tests
            nodeid = getattr(item, "nodeid", "?")
            self.record("forged_tests", nodeid, f"{nodeid} does not run the code pytest compiled from its "
                                                "verified source")

    # ---- checks ---------------------------------------------------------------------------------------

    def adopt_tests(self, modules: list[types.ModuleType]) -> None:
        """After collection: snapshot and guard the test modules, and check that every name they imported
        from a library module is still that module's own object (repo code ran while they were imported)."""
        import ast

        for module in modules:
            self.adopt(module)
            try:
                with open(module.__file__, encoding="utf-8") as fh:
                    tree = ast.parse(fh.read())
            except (OSError, SyntaxError, ValueError, TypeError):
                continue
            namespace = vars(module)
            for node in tree.body:
                if isinstance(node, ast.Import):
                    for alias in node.names:
                        name = alias.asname or alias.name.split(".")[0]
                        source = alias.name if alias.asname else alias.name.split(".")[0]
                        self._check_binding(module, namespace.get(name, _MISSING), source, None)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    for alias in node.names:
                        if alias.name != "*":
                            self._check_binding(module, namespace.get(alias.asname or alias.name, _MISSING),
                                                node.module, alias.name)

    def _check_binding(self, module: types.ModuleType, bound: object, source: str, attr: str | None) -> None:
        entry = self._modules.get(source)
        if entry is None or bound is _MISSING:
            return  # not a snapshotted library module (e.g. the repo's own), or rebound later by the test itself
        original_module, snapshot, _ = entry
        original = original_module if attr is None else snapshot.get(attr, vars(original_module).get(attr, _MISSING))
        if original is not _MISSING and bound is not original:
            target = f"{module.__name__}.{attr or source}"
            self.record("patched_module", target, f"the test module's import of {source}"
                        f"{'.' + attr if attr else ''} was replaced while it was being imported")

    def check_test_files(self, path: str | None = None) -> None:
        """Every file under the test paths still has the content the driver unpacked, and none was added
        (repo code could rewrite a test file before pytest imports it, or drop in a conftest.py)."""
        if not self.test_files:
            return
        repo = self.repo.rstrip("/")
        if path is not None:
            names = [os.path.relpath(os.path.realpath(path), repo)]
        else:
            names = set(self.test_files)
            for root in self.test_roots:
                for folder, dirs, files in os.walk(root):
                    dirs[:] = [d for d in dirs if d != "__pycache__"]
                    names |= {os.path.relpath(os.path.join(folder, f), repo) for f in files if not f.endswith(".pyc")}
        for name in sorted(names):
            expected = self.test_files.get(name)
            try:
                with open(os.path.join(repo, name), "rb") as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()
            except OSError:
                digest = None
            if digest != expected:
                what = "added" if expected is None else "deleted" if digest is None else "modified"
                self.record("modified_tests", name, f"test file {name} was {what} while the tests ran")

    def referenced_modules(self, modules: list[types.ModuleType]) -> list[str]:
        """Library modules a test module uses: those it imported and those its imported names come from."""
        names = {"builtins", *(m.__name__ for m in modules)}
        for module in modules:
            for value in list(vars(module).values()):
                if isinstance(value, types.ModuleType):
                    names.add(value.__name__)
                elif isinstance(getattr(value, "__module__", None), str):
                    names.add(value.__module__)
        return sorted(n for n in names if n in self._modules)

    def check_modules(self, names: list[str] | None = None, *, classes: bool = True) -> None:
        """Compare snapshotted modules (all, or `names`) and library classes with their snapshots."""
        local = self._local
        local.busy = True
        try:
            for name in list(self._modules) if names is None else [n for n in names if n in self._modules]:
                module, before, size = self._modules[name]
                now = vars(module)
                if before and len(now) == size and _same(before, now):
                    continue  # the common case, checked in C: nothing rebound, nothing added
                sanctioned = self._sanctioned
                for attr, value in before.items():
                    current = now.get(attr, _MISSING)
                    if current is not value and sanctioned.get((name, attr), value) is not current:
                        self.record("patched_module", f"{name}.{attr}", f"{name}.{attr} was rebound or deleted")
                if len(now) > size:
                    for attr, value in list(now.items()):
                        if attr not in before and _relevant(value) and not attr.startswith("@py") \
                                and sanctioned.get((name, attr), _MISSING) is not value:
                            self.record("patched_module", f"{name}.{attr}", f"{name}.{attr} was added")
            if not classes:
                return
            if names is None:
                entries = list(self._classes.values())
            else:
                groups = self._class_groups()
                entries = [self._classes[k] for n in (*names, *REPORTING_MODULES) for k in groups.get(n, ())]
            for cls, before in entries:
                now = vars(cls)
                if len(now) != len(before) or not _same(before, now):
                    changed = sorted(k for k in set(now) | set(before)
                                     if now.get(k, _MISSING) is not before.get(k, _MISSING)
                                     and (_method_like(now.get(k)) or _method_like(before.get(k))))
                    if changed:
                        self.record("patched_class", f"{cls.__module__}.{cls.__qualname__}",
                                    f"{cls.__module__}.{cls.__qualname__} changed: {', '.join(changed[:5])}")
        finally:
            local.busy = False

    def _class_groups(self) -> dict[str, list[int]]:
        """Snapshotted classes by module name (cached; classes snapshotted later are added on the next build)."""
        if self._groups is None or self._groups_size != len(self._classes):
            groups: dict[str, list[int]] = {}
            for key, (cls, _) in self._classes.items():
                groups.setdefault(cls.__module__, []).append(key)
            self._groups, self._groups_size = groups, len(self._classes)
        return self._groups

    def harness_changed(self, cls: type) -> None:
        """The harness itself (in the warm process, before any repo code ran) replaced a method of a library class:
        the class as it is now becomes its snapshot."""
        if id(cls) in self._classes:
            self._classes[id(cls)] = (cls, dict(vars(cls)))

    def accept_pytest_setup(self) -> None:
        """At session start: pytest has configured itself, and some of its plugins (legacypath) add properties to
        its own classes. Changes whose new value is pytest's own code become the snapshot; any other is a patch."""
        import _pytest

        own = os.path.dirname(os.path.realpath(_pytest.__file__)) + "/"
        groups = self._class_groups()
        keys = [k for module, ks in groups.items() if module.startswith(("_pytest", "pytest")) for k in ks]
        for key in keys:  # any other class changed before the session started is a patch, found later
            cls, before = self._classes[key]
            if len(vars(cls)) == len(before) and _same(before, vars(cls)):
                continue
            now = dict(vars(cls))
            changed = [k for k in set(now) | set(before) if now.get(k, _MISSING) is not before.get(k, _MISSING)
                       and (_method_like(now.get(k)) or _method_like(before.get(k)))]
            if changed and all(_code_file(now.get(k)).startswith(own) for k in changed):
                self._classes[key] = (cls, now)

    def check_new_classes(self) -> None:
        """Probe every class created since start-up whose comparisons are not trusted code's."""
        for cls in self._walk_classes(trust=False):
            self.check_class(cls)

    def check_values(self, *values: object) -> None:
        """Probe the classes of `values` and of what they contain (bounded)."""
        budget = [MAX_SCAN]
        seen: set[int] = set()
        stack = list(values)
        while stack and budget[0] > 0:
            value = stack.pop()
            budget[0] -= 1
            if id(value) in seen:
                continue
            seen.add(id(value))
            cls = type(value)
            if id(cls) not in self._trusted_classes:
                self.check_class(cls, value)
            if isinstance(value, dict) and type(value) is dict:
                stack.extend(list(value.keys())[:200])
                stack.extend(list(value.values())[:200])
            elif type(value) in (list, tuple, set, frozenset):
                stack.extend(list(value)[:200])

    def check_frame_locals(self, frame: types.FrameType | None) -> None:
        """At a passing assertion: probe what the test function holds in its locals."""
        while frame is not None and self.file_kind(frame.f_code.co_filename) != "test":
            frame = frame.f_back
        if frame is not None:
            self.check_values(*list(frame.f_locals.values()))

    def _trusted_code(self, value: object) -> bool:
        """A plain function written in a library or a test file (a test's own helper class may override)."""
        return isinstance(value, types.FunctionType) and \
            self.file_kind(value.__code__.co_filename) in ("library", "test")

    def _suspect_dunders(self, cls: type) -> list[tuple[type, str, object]]:
        """Comparison methods in cls's MRO that are not genuine trusted/test code."""
        found = []
        for klass in cls.__mro__:
            if klass is object or id(klass) in self._trusted_classes:
                continue
            for name in COMPARISONS:
                attr = vars(klass).get(name, _MISSING)
                if attr is _MISSING:
                    continue
                if self._trusted_code(attr):
                    continue
                if isinstance(attr, _SlotWrapper) and attr.__objclass__ is klass:
                    continue  # the class's own C implementation
                found.append((klass, name, attr))
        return found

    def _impersonation(self, cls: type) -> str | None:
        """A class the trusted code did not make that subclasses a value type (str, int, list, Decimal, ...) and
        overrides what that type answers: such a value can lie to any assertion (`in`, `len`, `startswith`).
        Comparisons are left to the probe: an honest `__eq__` on a value subclass is legal."""
        if isinstance(cls, enum.EnumMeta):
            return None  # enum members are constants whose behaviour comes from the enum machinery
        bases = [b for b in cls.__mro__ if b in VALUE_TYPES]
        if not bases:
            return None
        own: set[str] = set()
        for klass in cls.__mro__:
            if klass is bases[0]:
                break
            if id(klass) not in self._trusted_classes:
                own |= {name for name, value in vars(klass).items() if not self._trusted_code(value)}
        lies = sorted(n for n in own - HARMLESS_OVERRIDES - set(COMPARISONS) if hasattr(bases[0], n))
        return f"a {bases[0].__name__} subclass overriding {', '.join(lies[:6])}" if lies else None

    def check_class(self, cls: type, instance: object = _MISSING) -> None:
        local = self._local
        if getattr(local, "busy", False) or id(cls) in self._trusted_classes:
            return
        if (lie := self._impersonation(cls)) is not None:
            if id(cls) not in self._verdicts_by_class:
                self._verdicts_by_class.add(id(cls))
                self._keep.append(cls)
                where = f"{cls.__module__}.{cls.__qualname__}"
                self.record("impersonated_value", where, f"{where}: {lie}")
            return
        suspects = self._suspect_dunders(cls)
        if not suspects:
            return
        key = (id(cls), tuple(id(a) for _, _, a in suspects))
        if key in self._verdicts and (self._verdicts[key] is not None or instance is _MISSING):
            return
        local.busy = True
        try:
            verdict = self._probe(cls, instance)
        finally:
            local.busy = False
        self._verdicts[key] = verdict
        if verdict is not None:
            self._keep.append(cls)
            where = f"{cls.__module__}.{cls.__qualname__}"
            self.record("fake_comparison", where, f"{where}: {verdict}")

    def _probes(self, cls: type) -> list[object]:
        n = self._rng.getrandbits(40) + 1000
        values: list[object] = [_Opaque(n), object(), n, n + 0.5, f"~{n:x}~", f"{n:x}".encode(), (n, n + 1),
                                None, frozenset({-n}), [n, -n]]
        for base in cls.__mro__:
            if base is int or base is bool:
                values += [n + 7, -n - 7]
            elif base is float:
                values += [n + 7.25, -n - 7.25]
            elif base is str:
                values += [f"a{n}", f"b{n}"]
            elif base is bytes:
                values += [b"a%d" % n, b"b%d" % n]
            elif base in (list, tuple):
                values += [base([n, 1]), base([n, 2])]
            elif base.__module__ in ("decimal", "_decimal", "_pydecimal", "fractions", "datetime"):
                try:
                    values += [base.__new__(base, n + 11), base.__new__(base, n + 13)]
                except BaseException:  # noqa: BLE001
                    pass
        return values

    def _instance(self, cls: type) -> object:
        for make in (lambda: cls.__new__(cls), lambda: object.__new__(cls)):
            try:
                return make()
            except BaseException:  # noqa: BLE001 - any failure just means "no instance this way"
                continue
        return _MISSING

    def _probe(self, cls: type, instance: object) -> str | None:
        """Why cls's comparisons cannot be genuine, or None when they behave like an honest relation."""
        inst = instance if instance is not _MISSING else self._instance(cls)
        if inst is _MISSING:
            return None
        probes = self._probes(cls)
        equal = [p for p in probes if _truth(lambda p=p: operator.eq(inst, p))]
        if len(equal) >= 2:
            return f"== agrees with unrelated values ({len(equal)} of {len(probes)} random probes)"
        not_unequal = [p for p in probes if _truth(lambda p=p: operator.ne(inst, p)) is False]
        if len(not_unequal) >= 2:
            return f"!= denies unrelated values ({len(not_unequal)} of {len(probes)} random probes)"
        for p in probes:
            lt, gt = _truth(lambda p=p: operator.lt(inst, p)), _truth(lambda p=p: operator.gt(inst, p))
            le, ge = _truth(lambda p=p: operator.le(inst, p)), _truth(lambda p=p: operator.ge(inst, p))
            if (lt and (gt or ge)) or (gt and le):
                return "orderings contradict each other on a random probe"
        return None

    def report(self) -> dict:
        return {"violations": self.violations, "modules": len(self._modules), "classes": len(self._classes)}


_CHECKER: Integrity | None = None


class _GuardedModule(types.ModuleType):
    """A module whose attribute writes are checked (the checker decides who wrote)."""

    def __setattr__(self, name: str, value: object) -> None:
        if _CHECKER is not None:
            _CHECKER.module_write(self, name, value, False)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        if _CHECKER is not None:
            _CHECKER.module_write(self, name, None, True)
        super().__delattr__(name)


def _snapshot_finder(checker: Integrity) -> object:
    """A meta path entry that finds nothing itself: it lets the other finders find a module and makes the
    loader snapshot a library or test module the moment it has executed (before any caller sees it). The
    checker lives in the closure, not in an attribute of the entry (which sits in sys.meta_path)."""
    local = threading.local()

    class SnapshotFinder:
        __slots__ = ()

        def find_spec(self, name: str, path=None, target=None):  # noqa: ANN001 - importlib's signature
            if getattr(local, "busy", False):
                return None
            local.busy = True
            try:
                spec = None
                for finder in sys.meta_path:
                    if finder is self or not hasattr(finder, "find_spec"):
                        continue
                    spec = finder.find_spec(name, path, target)
                    if spec is not None:
                        break
            finally:
                local.busy = False
            loader = getattr(spec, "loader", None)
            if loader is None or isinstance(loader, type) or "exec_module" in vars(loader):
                return spec
            execute = loader.exec_module

            def exec_module(module: types.ModuleType) -> None:
                execute(module)
                checker.adopt(module)

            try:
                loader.exec_module = exec_module
            except (AttributeError, TypeError):
                pass
            return spec

    return SnapshotFinder()


def checker(harness_dir: str) -> Integrity:
    """The process-wide checker, installed on first use (forked children inherit it, snapshot included)."""
    global _CHECKER
    if _CHECKER is None:
        _CHECKER = Integrity(harness_dir)
        _CHECKER.install()
    return _CHECKER
