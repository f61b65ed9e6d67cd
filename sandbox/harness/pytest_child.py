"""Runs pytest under coverage inside the sandbox and streams signed events to an inherited pipe fd.

`run(args)` is the whole job: a script run (`python pytest_child.py ARGS`, the cold path) and a child
forked from the warm harness (pytest and coverage already imported) call it alike. Before anything else
it enters its own Landlock signal scope (when the driver has one), so code under test can neither signal
nor ptrace the driver. pytest and coverage are imported before the repo root goes on sys.path, so a repo
module named `pytest.py` or `coverage.py` cannot shadow them.
Only conftest.py files inside the test directories are loaded (never one at the repo root), and
the harness's own ini file wins over the repo's pytest.ini/setup.cfg/tox.ini/pyproject.toml.
Per-test outcomes come from pytest hooks, never from parsing console output.

Events (one JSON object a line, each prefixed with an HMAC under a key read from `key_fd`, which
never appears in argv or the environment): `collected` (test ids), `start` (a test begins, with its
budget), `outcome` (a test's outcome and duration), `violation` (integrity, see integrity.py), and
`done` (exit code, coverage, versions). The driver watches them: it can tell which test hung or
crashed, and resumes the run with the tests that remain.

Each test gets a CPU-time budget (ITIMER_PROF, so machine load does not flip a verdict) and a wall-clock
guard four times as long for tests that wait (pytest-timeout, signal method): past either, the test fails
with the outcome `timeout` and the run goes on.
"""

import hashlib
import hmac
import importlib.util
import json
import os
import pathlib
import signal
import sys
import types

import coverage
import coverage.collector
import pytest

# coverage's Collector records `short_stack()` (inspect.stack(), which reads the source of every frame) for
# its own debugging: 0.1 s of every run here. Nothing reads it unless coverage debugging is on.
coverage.collector.short_stack = lambda *args, **kwargs: ""


def _cache_sysconfig_paths() -> None:
    """coverage asks sysconfig for the stdlib and site-packages locations of every scheme each time it starts: the
    answers never change, so they are computed once (in the warm process) and reused."""
    import coverage.inorout

    compute = getattr(coverage.inorout, "_add_sysconfig_paths", None)
    if compute is None:  # another coverage version: nothing to cache
        return
    known: dict = {}

    def add_sysconfig_paths(paths: set, path_names: list) -> None:
        key = tuple(path_names)
        if key not in known:
            known[key] = set()
            compute(known[key], path_names)
        paths.update(known[key])

    coverage.inorout._add_sysconfig_paths = add_sysconfig_paths
    for names in (["stdlib", "platstdlib"], ["platlib", "purelib", "scripts"]):
        add_sysconfig_paths(set(), names)


_cache_sysconfig_paths()

try:
    import pytest_timeout  # noqa: F401
    HAVE_TIMEOUT = True
    from importlib.metadata import version as _version
    TIMEOUT_VERSION = _version("pytest-timeout")  # the module has no __version__; read once, at import
except ImportError:
    HAVE_TIMEOUT, TIMEOUT_VERSION = False, None

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name: str):
    """A sibling harness module, imported by path (the harness never puts its folder on sys.path)."""
    module = sys.modules.get(f"autocoderl_{name}")
    if module is None:
        spec = importlib.util.spec_from_file_location(f"autocoderl_{name}", os.path.join(HERE, f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module


def make_emitter(key_fd: int, report_fd: int):
    """A closure that signs and writes one event; the key lives only in its cell."""
    with os.fdopen(key_fd, "rb") as fh:
        key = fh.read()

    def emit(event: dict) -> None:
        body = json.dumps(event, separators=(",", ":"))
        data = f"{hmac.new(key, body.encode(), hashlib.sha256).hexdigest()} {body}\n".encode()
        while data:
            data = data[os.write(report_fd, data):]

    return emit


CPU_TIMEOUT = "used more than its CPU budget"
UNUSED_PLUGINS = [arg for name in ("cacheprovider", "doctest", "pastebin", "junitxml", "setuponly", "setupplan",
                                   "stepwise", "terminalprogress", "debugging", "faulthandler")
                  for arg in ("-p", f"no:{name}")]
"""pytest plugins a graded run never uses (each costs its registration and its hooks, every run): caches, other
report formats, --pdb/--trace, crash dumps on stderr."""
PREPARED: list = []
"""A pytest Config with the default plugins registered, made once by `prepare()` in the warm process; each
evaluation (a fork) takes its own copy instead of registering ~30 plugins again."""


def prepare() -> None:
    """In the warm process, before any evaluation is forked: build pytest's initial Config (what `get_config` does
    for every run) with the fixed plugin exclusions. Only pytest's own code runs here."""
    from _pytest import config

    PREPARED[:] = [config.get_config(UNUSED_PLUGINS, None, prog="pytest.main()")]


FIXTURE_HOLDERS: dict = {}
"""id(module or class) -> (it, the names under which it holds fixtures): pytest's own plugin modules and classes, ours
and pytest-timeout's, scanned once by `index_fixtures()`. pytest scans every attribute of each of its ~30 plugins
for fixtures at every session start (a fifth of a small run's CPU); these answers never change."""


def index_fixtures() -> None:
    """In the warm process that forks many evaluations (it costs ~0.1 s once, each run saves ~0.03 s; a one-shot
    container would lose by it): make FIXTURE_HOLDERS and answer pytest's scan of a known holder from it."""
    try:
        from _pytest.compat import NOTSET
        from _pytest.fixtures import FixtureFunctionDefinition, FixtureManager
    except ImportError:  # another pytest: it keeps scanning its plugins itself
        return

    def fixture_names(holder: object) -> frozenset:
        owner = holder if isinstance(holder, types.ModuleType) else None
        names = set()
        for name in dir(holder):
            raw = (vars(owner).get(name) if owner is not None
                   else next((vars(base)[name] for base in holder.__mro__ if name in vars(base)), None))
            try:
                bound = getattr(holder, name, None)
            except Exception:  # noqa: BLE001 - an attribute that raises holds no fixture pytest could find either
                bound = None
            if type(bound) is FixtureFunctionDefinition or (
                    raw is not None and FixtureManager._find_wrapped_fixture_def(None, raw) is not None):
                names.add(name)
        return frozenset(names)

    try:
        _index_fixture_holders(fixture_names)
    except Exception:  # noqa: BLE001 - an optimisation: a pytest it cannot read keeps scanning its plugins itself
        FIXTURE_HOLDERS.clear()
        return
    original = FixtureManager.parsefactories

    def parsefactories(self, node_or_obj=NOTSET, nodeid=NOTSET, *, holder=NOTSET, node=NOTSET):  # noqa: ANN001, ANN202
        """pytest's, on a view of a known holder that holds only its fixtures (none: nothing to scan)."""
        target = holder if isinstance(holder, (types.ModuleType, type)) else type(holder)
        known = FIXTURE_HOLDERS.get(id(target))
        if known is not None and known[0] is target and node_or_obj is NOTSET:
            if not known[1]:
                return None
            if isinstance(holder, types.ModuleType):  # only the attributes that hold fixtures are looked at
                view = types.ModuleType(holder.__name__)
                view.__dict__.update({n: vars(holder)[n] for n in known[1] if n in vars(holder)})
                holder = view
        return original(self, node_or_obj, nodeid, holder=holder, node=node)

    FixtureManager.parsefactories = parsefactories
    integrity.harness_changed(FixtureManager)


def _index_fixture_holders(fixture_names) -> None:  # noqa: ANN001 - index_fixtures' reader of one holder
    for name, module in list(sys.modules.items()):
        if not (name == "_pytest" or name.startswith("_pytest.") or name == "pytest_timeout" or module is sys.modules[
                __name__]) or not isinstance(module, types.ModuleType):
            continue
        holders = [module, *(v for v in list(vars(module).values())
                             if isinstance(v, type) and v.__module__ == module.__name__)]
        for holder in holders:
            FIXTURE_HOLDERS[id(holder)] = (holder, fixture_names(holder))


def _take_prepared(original):  # noqa: ANN001, ANN202
    """pytest's `get_config`, answered from PREPARED once (with this run's arguments and directory). Only a run
    whose arguments start with the plugin exclusions the Config was prepared with takes it (`run` puts them
    first); any other call, a nested pytest.main in a test say, gets a fresh Config as usual."""
    def get_config(args=None, plugins=None, *, prog=None):  # noqa: ANN001, ANN202 - pytest's signature
        if not PREPARED or list(args or ())[:len(UNUSED_PLUGINS)] != UNUSED_PLUGINS:
            return original(args, plugins, prog=prog)
        config = PREPARED.pop()
        config.invocation_params = config.InvocationParams(args=args or (), plugins=plugins, dir=pathlib.Path.cwd())
        return config

    return get_config


def _cpu_budget_exceeded(signum, frame) -> None:  # noqa: ANN001 - a signal handler
    pytest.fail(f"Timeout: the test {CPU_TIMEOUT}", pytrace=False)


signal.signal(signal.SIGPROF, _cpu_budget_exceeded)

integrity = load("integrity").checker(HERE)
"""The process's integrity checker; its snapshot is taken here, before any repo code can run (in the warm
harness: once, before the evaluation children are forked)."""
EMIT = None
ARGS: dict = {}


PYTHON_FILES = load("integrity").TEST_MODULE_PATTERNS
"""The harness ini's python_files (the modules pytest collects; the checker knows them too)."""
TEST_MODULES = (*PYTHON_FILES, "conftest.py")
"""The files pytest rewrites: test modules and conftest files."""
REWRITTEN: dict = {}
"""sha256 of a test module's source -> its rewritten code, compiled by `precompile` in the warm process."""
MAX_REWRITTEN = 512


class _RewriteSettings:
    """The one setting pytest's assertion rewriter reads from its config (the harness's ini turns it on)."""

    @staticmethod
    def getini(name: str) -> bool:
        return {"enable_assertion_pass_hook": True}[name]


def _rewrite(source: bytes, name: str, config) -> types.CodeType:  # noqa: ANN001
    """What pytest's `_rewrite_test` does to a test module's source."""
    import ast

    from _pytest.assertion import rewrite

    tree = ast.parse(source, filename=name)
    rewrite.rewrite_asserts(tree, source, name, config)
    return compile(tree, name, "exec", dont_inherit=True)


def precompile(stdin: bytes) -> None:
    """In the warm process, before it forks an evaluation: rewrite the evaluation's test modules that are not
    cached yet (the server writes the tests; a fix cannot add or change one), so the child skips pytest's
    rewrite for them. `stdin` is what the evaluation's driver reads: its config line, then the repo's tar."""
    import fnmatch
    import io
    import tarfile

    line, _, data = stdin.partition(b"\n")
    try:
        roots = [p.split("::")[0].rstrip("/") for p in json.loads(line).get("test_paths", ["tests"])]
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
            for member in tar:
                base = os.path.basename(member.name)
                if not member.isfile() or member.size > 1 << 20 or not any(
                        member.name == r or member.name.startswith(r + "/") for r in roots) or not any(
                        fnmatch.fnmatch(base, pattern) for pattern in TEST_MODULES):
                    continue
                source = tar.extractfile(member).read()
                digest = hashlib.sha256(source).digest()
                if digest not in REWRITTEN:
                    _cache_rewrite(digest, source, member.name)
    except Exception:  # noqa: BLE001 - an optimisation: whatever it cannot read, the child's pytest reads itself
        return


def _cache_rewrite(digest: bytes, source: bytes, name: str) -> None:
    try:
        code = _rewrite(source, name, _RewriteSettings())
    except Exception:  # noqa: BLE001 - a test file that does not parse: the child's pytest reports it
        return
    if len(REWRITTEN) >= MAX_REWRITTEN:
        REWRITTEN.pop(next(iter(REWRITTEN)))
    REWRITTEN[digest] = code


def _route_test_compilation() -> None:
    """pytest compiles test modules through `_rewrite_test`: take the warm process's compilation when it has one,
    hand each result to the checker (which verifies the source), and never load a rewritten module from a
    bytecode cache (one in the repo was planted)."""
    from _imp import _fix_co_filename

    from _pytest.assertion import rewrite

    def rewrite_test(fn, config):  # noqa: ANN001, ANN202 - pytest's `_rewrite_test`, on bytes read once
        source = fn.read_bytes()
        name = str(fn)
        code = REWRITTEN.get(hashlib.sha256(source).digest())
        if code is not None:
            _fix_co_filename(code, name)  # in place: this process's copy of the warm process's code
        else:
            code = _rewrite(source, name, config)
        integrity.trust_test_module(name, source, code)
        return importlib.util.source_hash(source), code

    rewrite._rewrite_test = rewrite_test
    rewrite._read_pyc = lambda *args, **kwargs: None


_route_test_compilation()


def _patch_get_config() -> None:
    from _pytest import config

    config.get_config = _take_prepared(config.get_config)


_patch_get_config()


def _drop_handles() -> None:
    """Nothing of the harness stays reachable by module name from the code under test: its modules leave
    sys.modules, and `__main__` (the driver, or this file run as a script) becomes an empty module."""
    for name in [n for n in sys.modules if n.startswith("autocoderl_")]:
        del sys.modules[name]
    sys.modules["__main__"] = types.ModuleType("__main__")


class Reporter:
    """pytest plugin: outcomes per test id, integrity checks at every point where a test could be fooled."""

    def __init__(self) -> None:
        self.outcomes: dict = {}
        self.durations: dict = {}
        self.collect_errors: list = []
        self.referenced: list = []
        self.budgets = ARGS.get("budgets") or {}
        self.default_budget = float(ARGS.get("default_budget", 5.0))

    def budget(self, nodeid: str) -> float:
        return float(self.budgets.get(nodeid, self.default_budget))

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collect_errors.append({"nodeid": report.nodeid, "message": str(report.longrepr)[-1500:]})

    def wall_budget(self, nodeid: str) -> float:
        """The wall-clock guard for a test that waits instead of computing (sleep, a blocked read)."""
        return float(ARGS.get("wall_factor", 4.0)) * self.budget(nodeid) + 2.0

    def pytest_collection_modifyitems(self, items) -> None:
        if HAVE_TIMEOUT:
            for item in items:
                item.add_marker(pytest.mark.timeout(self.wall_budget(item.nodeid), method="signal"))

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        """The test's budget is CPU time (ITIMER_PROF): a loaded machine slows the clock, not the work, so a
        verdict does not depend on the load; pytest-timeout keeps a wall-clock guard for tests that wait."""
        signal.setitimer(signal.ITIMER_PROF, self.budget(item.nodeid))
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session) -> None:
        integrity.accept_pytest_setup()

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session, exitstatus) -> None:
        integrity.check_modules()  # before pytest undoes its own setup (unconfigure)
        integrity.check_new_classes()
        integrity.check_test_files()

    @pytest.hookimpl(tryfirst=True)
    def pytest_pycollect_makemodule(self, module_path, parent) -> None:
        integrity.check_test_files(str(module_path))  # right before pytest reads and imports it

    def pytest_collection_finish(self, session) -> None:
        modules = list({id(m): m for m in (getattr(i, "module", None) for i in session.items) if m}.values())
        integrity.check_test_files()
        integrity.adopt_tests(modules)
        self.referenced = integrity.referenced_modules(modules)
        integrity.check_modules(self.referenced)  # everything, new classes included, at the end of the session
        integrity.check_items(session.items)
        EMIT({"event": "collected", "ids": [item.nodeid for item in session.items],
              "errors": self.collect_errors})

    def pytest_runtest_logstart(self, nodeid, location) -> None:
        integrity.current_test = nodeid
        EMIT({"event": "start", "id": nodeid, "budget": self.wall_budget(nodeid)})

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        integrity.check_items([item])  # its code swapped since collection
        yield
        # per test, what the test module uses; everything at collection and at the end of the session
        integrity.check_modules(self.referenced, classes=False)  # a test's monkeypatch of a class ends at teardown
        if type(item).__name__ == "TestCaseFunction":  # unittest asserts pass no values through pytest's hooks
            integrity.check_new_classes()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item, nextitem):
        yield
        integrity.check_modules(self.referenced)

    def pytest_assertion_pass(self, item, lineno, orig, expl) -> None:
        integrity.check_modules(self.referenced, classes=False)
        integrity.check_frame_locals(sys._getframe(1))

    @pytest.hookimpl(tryfirst=True)
    def pytest_assertrepr_compare(self, config, op, left, right):
        integrity.check_values(left, right)
        return None

    def pytest_runtest_logreport(self, report) -> None:
        self.durations[report.nodeid] = self.durations.get(report.nodeid, 0.0) + float(report.duration or 0.0)
        previous = self.outcomes.get(report.nodeid)
        if report.when == "call":
            outcome = "skipped" if report.skipped else report.outcome
            if hasattr(report, "wasxfail"):
                outcome = "xfailed" if report.skipped else "xpassed"
        elif report.failed:
            outcome = "error"
        elif report.skipped:
            outcome = "skipped"
        else:
            return
        text = str(report.longrepr)[-4000:] if report.failed else ""
        if "Timeout" in text and ("pytest-timeout" in text or CPU_TIMEOUT in text):
            outcome = "timeout"
        if previous in ("error", "failed", "timeout") and outcome == "passed":
            return
        self.outcomes[report.nodeid] = outcome

    def pytest_runtest_logfinish(self, nodeid, location) -> None:
        EMIT({"event": "outcome", "id": nodeid, "outcome": self.outcomes.get(nodeid, "error"),
              "duration": round(self.durations.get(nodeid, 0.0), 4)})
        integrity.current_test = None


def conftest_root(repo: str, test_paths: list) -> str:
    """The deepest directory holding every test path: conftest.py files above it are never loaded."""
    dirs = []
    for path in test_paths:
        full = os.path.normpath(os.path.join(repo, path.split("::")[0]))
        dirs.append(full if os.path.isdir(full) else os.path.dirname(full))
    return os.path.commonpath(dirs) if dirs else repo


def run(args: dict) -> None:
    """Run the tests of the repo in the current directory and stream the events (see the module docstring)."""
    global EMIT, ARGS
    if args.get("scope") and not load("hardening").scope_signals():
        sys.exit("pytest_child: could not enter the driver's signal scope")
    ARGS = args
    EMIT = make_emitter(args["key_fd"], args["report_fd"])
    integrity.on_violation = lambda violation: EMIT({"event": "violation", **violation})
    _drop_handles()
    repo = os.getcwd()
    integrity.bind(repo, args["test_paths"], args.get("test_files") or {})
    sources = [os.path.join(repo, s) for s in args["sources"]]
    cov = coverage.Coverage(data_file=None, config_file=False, include=sources or None, branch=False)
    reporter = Reporter()
    ini = os.path.join(os.path.dirname(repo), "harness-pytest.ini")
    with open(ini, "w") as fh:
        fh.write(f"[pytest]\npython_files = {' '.join(PYTHON_FILES)}\nenable_assertion_pass_hook = true\n")
    selection = args.get("select") or args["test_paths"]
    sys.path.insert(0, repo)
    cov.start()
    try:
        argv = [*UNUSED_PLUGINS, "-c", ini, "--rootdir", repo, "--confcutdir", conftest_root(repo, args["test_paths"]),
                "-q", "--no-header", "-rN",
                "--tb=short" if args.get("tracebacks", True) else "--tb=no", *selection]
        # pytest-timeout as a plugin object: `-p pytest_timeout` would warn on every run that the module (imported
        # by the warm harness) is already imported and cannot be rewritten
        plugins = [reporter, *([sys.modules["pytest_timeout"]] if HAVE_TIMEOUT else [])]
        exit_code = int(pytest.main(argv, plugins=plugins))
    finally:
        cov.stop()
    integrity.check_modules(classes=False)
    files = {}
    for path in sources:
        try:
            _, statements, _, missing, _ = cov.analysis2(path)
        except Exception:  # noqa: BLE001 - a file that never imported or does not parse has no data
            continue
        files[os.path.relpath(path, repo)] = {"statements": sorted(statements), "missing": sorted(missing)}
    EMIT({"event": "done", "exit_code": exit_code, "coverage": files,
          "versions": {"pytest": pytest.__version__, "coverage": coverage.__version__,
                       "pytest_timeout": TIMEOUT_VERSION},
          "integrity": {k: v for k, v in integrity.report().items() if k != "violations"}})
    os.close(args["report_fd"])


if __name__ == "__main__":
    run(json.loads(sys.argv[1]))
