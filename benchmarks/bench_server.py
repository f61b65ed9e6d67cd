"""Server load benchmark (issue 14): our /ws against a bare OpenEnv echo env under the same load, one run.

Starts, from this checkout, our server (`python -m environment.app`, once with AUTOCODERL_RUNNER=local and
once with docker) and a bare OpenEnv environment (benchmarks/echo_env.py: the framework's own classes and
`create_app`, served by `python -m uvicorn`), each a subprocess, and drives them with asyncio `websockets`
clients (this process). Phases, each printed with its ratio:

  (a) evals/s through the server, 2 sessions (reset to logic-bulk-discount, then `suggest_fix` with the
      reference solution back to back; each answer must have run: execution.status == "completed", solved,
      fix score >= 0.95), local and Docker runner, / the three tools run by hand 2 at a time
      (benchmarks/by_hand.py, measured just before each);
  (b) median latency of one evaluation through the server (local runner, one session) / by hand, round-robin;
  (c) 64 sessions of `view_file` with 100 ms think time: p50/p99 / the echo env under the same load;
  (d) 16 light sessions (view_file, 100 ms think) while 2 sessions run evaluations back to back: the light
      p99 / the echo env's, whose 2 heavy sessions send steps that sleep as long as our evaluations took;
  (e) saturated non-executing steps/s (64 sessions, no think time) / the echo env;
  (f) `python -m environment.cli tasks list` wall time: median of 5 fresh processes (after 1 warm-up);
  (g) process start -> /health answers: median of 3 fresh server processes (the echo env's beside it).

Every session resets after as many steps as our episode allows (5), on both servers. Typed error frames
are counted per code; a row with errors or unchecked answers is flagged, and so is the run (exit 1). Servers
are checked to run this checkout's code and are always stopped; their logs are kept when they show errors.
The defaults take about 5 minutes on a quiet 2-core machine; `--quick` (about 1 minute) checks every phase.

    python benchmarks/bench_server.py [--quick] [--phases a,b,c,d,e,f,g] [--runners local,docker]
        [--jobs 16] [--runs 9] [--duration 15] [--sessions 64] [--light 16] [--saturate 64] [--match-payload]
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import datetime
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
sys.path.insert(0, str(ROOT))

from benchmarks.by_hand import ByHand, outcome_counts  # noqa: E402
from sandbox.types import RunRequest  # noqa: E402

TASK_ID = "logic-bulk-discount"
TASK = ROOT / "task_repos" / TASK_ID
FIX_FILE = "shop/pricing.py"
MIN_FIX_SCORE = 0.95
RESET_RETRY = {"EPISODE_DONE", "NOT_RESET", "STEP_TIMEOUT"}
MAX_FRAME = 16 << 20


# ---------------------------------------------------------------- numbers

def pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (nan when empty)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.2f} s"


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process (its own threads, not its children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class CpuMeter:
    """Cores used by the server process, this client process and the whole machine over a phase."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.wall = time.monotonic()
        self.server = cpu_seconds(pid) if pid else float("nan")
        self.client = time.process_time()
        self.busy = machine_busy()

    def line(self) -> str:
        wall = time.monotonic() - self.wall
        server = f"server {(cpu_seconds(self.pid) - self.server) / wall:.2f}, " if self.pid else ""
        busy, total = machine_busy()
        machine = (busy - self.busy[0]) / max(1, total - self.busy[1]) * (os.cpu_count() or 1)
        return (f"cores: {server}client {(time.process_time() - self.client) / wall:.2f}, "
                f"machine {machine:.2f}/{os.cpu_count()}")


# ---------------------------------------------------------------- processes

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A server subprocess (its own process group) and where it logs."""

    name: str
    proc: subprocess.Popen
    url: str
    log: Path
    ready_s: float = float("nan")

    @property
    def ws(self) -> str:
        return self.url.replace("http://", "ws://") + "/ws"

    def health(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self.url}/health", timeout=5) as response:
            return json.loads(response.read())


class Fleet:
    """Starts servers and always stops them (SIGTERM, then SIGKILL of the process group)."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.servers: list[Server] = []
        self.problems: list[str] = []
        self.notes: list[str] = []

    def start(self, name: str, cmd: list[str], env: dict[str, str], cwd: Path, port: int,
              timeout: float = 120.0) -> Server:
        log = self.logs / f"{name}-{len(self.servers)}.log"
        with log.open("wb") as out:
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        server = Server(name, proc, f"http://127.0.0.1:{port}", log)
        self.servers.append(server)
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{server.url}/health", timeout=1) as response:
                    if response.status == 200:
                        server.ready_s = time.perf_counter() - started
                        return server
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"{name} did not answer /health within {timeout:.0f} s")

    def stop(self, server: Server) -> None:
        if server not in self.servers:
            return
        self.servers.remove(server)
        proc = server.proc
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.problems.append(f"{server.name} (pid {proc.pid}) ignored SIGTERM for 20 s: killed")
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if group_alive(proc.pid):  # anything left in its process group (a sandbox helper)?
            self.problems.append(f"{server.name}: processes of group {proc.pid} outlived the server: killed")
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
        text = server.log.read_text(errors="replace")
        bad = [line for line in text.splitlines() if "Traceback" in line or line.startswith(("ERROR", "CRITICAL"))]
        if bad:
            self.problems.append(f"{server.name}: {len(bad)} error line(s) in its log {server.log}, "
                                 f"first: {bad[0][:200]}")
        warnings = Counter(line[:160] for line in text.splitlines() if line.startswith("WARNING"))
        for line, count in warnings.items():
            self.notes.append(f"{server.name} logged{f' {count}x' if count > 1 else ''}: {line}")

    def stop_all(self) -> None:
        for server in list(reversed(self.servers)):
            try:
                self.stop(server)
            except Exception as exc:  # noqa: BLE001 - keep stopping the others
                self.problems.append(f"stopping {server.name}: {exc}")


def group_alive(pgid: int, grace: float = 3.0) -> bool:
    """Whether process group `pgid` still has members after `grace` seconds."""
    deadline = time.monotonic() + grace
    while True:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        if time.monotonic() > deadline:
            return True
        time.sleep(0.1)


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTOCODERL_", "PYTHON"))}
    env.pop("ENABLE_WEB_INTERFACE", None)
    env.pop("MAX_CONCURRENT_ENVS", None)
    return env


def our_command(runner: str, max_sessions: int) -> tuple[list[str], dict[str, str], int]:
    port = free_port()
    env = {**base_env(), "PYTHONPATH": str(ROOT), "PORT": str(port), "HOST": "127.0.0.1",
           "AUTOCODERL_RUNNER": runner, "MAX_CONCURRENT_ENVS": str(max_sessions)}
    return [sys.executable, "-m", "environment.app"], env, port


def echo_command(max_sessions: int) -> tuple[list[str], dict[str, str], int]:
    port = free_port()
    env = {**base_env(), "ECHO_MAX_SESSIONS": str(max_sessions)}
    cmd = [sys.executable, "-m", "uvicorn", "echo_env:app", "--app-dir", str(BENCH), "--host", "127.0.0.1",
           "--port", str(port), "--log-level", "warning", "--no-access-log",
           "--ws-ping-interval", "60", "--ws-ping-timeout", "120"]  # as our server's uvicorn.run
    return cmd, env, port


CHECKOUT_PROBE = """
import json, sys
import environment.app, environment.cli
mods = {n: getattr(m, "__file__", None) for n, m in list(sys.modules.items())
        if n.split(".")[0] in ("environment", "sandbox", "graders")}
print(json.dumps(mods))
"""


def check_checkout() -> str:
    """Every project module the server and the CLI import comes from this checkout (`environment` is a
    namespace package: an editable install elsewhere could otherwise supply a module this checkout lacks)."""
    _, env, _ = our_command("local", 1)
    proc = subprocess.run([sys.executable, "-c", CHECKOUT_PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"importing the server failed: {proc.stderr[-2000:]}")
    modules = json.loads(proc.stdout.strip().splitlines()[-1])
    foreign = {n: f for n, f in modules.items() if f and not Path(f).resolve().is_relative_to(ROOT)}
    if foreign or "environment.app" not in modules:
        raise SystemExit(f"modules from outside {ROOT}: {foreign}")
    return f"{len(modules)} project modules, all under {ROOT}"


def assert_ours(server: Server) -> None:
    cwd = Path(os.readlink(f"/proc/{server.proc.pid}/cwd")).resolve()
    if cwd != ROOT:
        raise SystemExit(f"{server.name} runs in {cwd}, not {ROOT}")


# ---------------------------------------------------------------- clients

@dataclass
class Stats:
    """What one group of sessions saw."""

    steps: list[float] = field(default_factory=list)
    resets: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    bad: list[str] = field(default_factory=list)
    reply_bytes: list[int] = field(default_factory=list)
    exec_s: list[float] = field(default_factory=list)
    """Our execution reports' duration_s (the runner's share of an evaluation)."""

    def flags(self) -> str:
        out = [f"{code} x{n}" for code, n in sorted(self.errors.items())]
        if self.bad:
            out.append(f"{len(self.bad)} unchecked answer(s), e.g. {self.bad[0][:160]}")
        return "; ".join(out)


class Protocol:
    """What a session sends to one server and how it checks the answers."""

    def __init__(self, name: str, url: str, reset: dict[str, Any], light: Callable[[int], dict[str, Any]],
                 heavy: dict[str, Any], episode_steps: int, check: Callable[[dict[str, Any], bool], str | None]
                 ) -> None:
        self.name, self.url, self.reset, self.light, self.heavy = name, url, reset, light, heavy
        self.episode_steps, self.check = episode_steps, check


def check_ours(frame: dict[str, Any], heavy: bool) -> str | None:
    """None when an observation is what we asked for (a heavy one: the reference fix ran and solved it)."""
    obs = frame["data"]["observation"]
    if obs.get("error"):
        return f"observation error {obs['error']}"
    if not heavy:
        return None if obs.get("previous_action") == "view_file" and obs.get("file_name") in obs.get("files", ()) \
            else f"not a view: {obs.get('previous_action')} {obs.get('file_name')}"
    ex = obs.get("execution") or {}
    if ex.get("status") != "completed" or not ex.get("solved") or (ex.get("fix_score") or 0) < MIN_FIX_SCORE:
        return (f"evaluation status={ex.get('status')} reason={ex.get('reason')!r} solved={ex.get('solved')} "
                f"fix_score={ex.get('fix_score')} hidden={ex.get('hidden_passed')}/{ex.get('hidden_total')}")
    return None


def check_echo(frame: dict[str, Any], heavy: bool) -> str | None:
    return None if frame["data"]["observation"].get("echoed") else "no echo"


class Session:
    """One /ws session: request/response with latency, resets when the episode is over."""

    def __init__(self, protocol: Protocol, index: int, stats: Stats) -> None:
        self.p, self.index, self.stats = protocol, index, stats
        self.ws: Any = None
        self.steps_in_episode = 0
        self.done = False
        self.broken = False
        """No answer in time or the connection closed: the session stops (its replies could be out of step)."""

    async def open(self) -> None:
        self.ws = await websockets.connect(self.p.url, max_size=MAX_FRAME, open_timeout=60, close_timeout=5)
        await self.do_reset(record=False)

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.send(json.dumps({"type": "close"}))
                await self.ws.close()

    async def call(self, message: dict[str, Any], timeout: float) -> tuple[dict[str, Any], float, int]:
        text = json.dumps(message)
        started = time.perf_counter()
        await self.ws.send(text)
        reply = await asyncio.wait_for(self.ws.recv(), timeout)
        return json.loads(reply), time.perf_counter() - started, len(reply)

    async def do_reset(self, *, record: bool = True) -> None:
        data = {**self.p.reset, "seed": self.index, "episode_id": f"bench-{self.index}-{random.getrandbits(32):x}"}
        frame, latency, _ = await self.call({"type": "reset", "data": data}, 60)
        if frame.get("type") != "observation":
            code = (frame.get("data") or {}).get("code", "?")
            self.stats.errors[f"reset:{code}"] += 1
            raise RuntimeError(f"{self.p.name}: reset answered {frame}")
        if record:
            self.stats.resets.append(latency)
        self.steps_in_episode, self.done = 0, False

    async def step(self, heavy: bool, n: int) -> float | None:
        """One step (a reset first when the episode is over); its latency, or None when it was not valid."""
        if self.done or self.steps_in_episode >= self.p.episode_steps:
            await self.do_reset()
        data = self.p.heavy if heavy else self.p.light(n)
        try:
            frame, latency, size = await self.call({"type": "step", "data": data}, 300 if heavy else 60)
        except (TimeoutError, websockets.ConnectionClosed) as exc:
            self.stats.errors["CLIENT_TIMEOUT" if isinstance(exc, TimeoutError) else "CONNECTION_CLOSED"] += 1
            self.broken = True
            return None
        if frame.get("type") == "error":  # typed: the step was not counted
            code = (frame.get("data") or {}).get("code", "?")
            self.stats.errors[code] += 1
            if code in RESET_RETRY:
                self.done = True
            elif code == "ENVIRONMENT_PREPARING":
                await asyncio.sleep(0.5)
            elif code == "CAPACITY_REACHED":
                raise RuntimeError(f"{self.p.name}: CAPACITY_REACHED")
            return None
        problem = self.p.check(frame, heavy)
        if problem:
            self.steps_in_episode += 1
            self.stats.bad.append(problem)
            return None
        self.steps_in_episode += 1
        self.done = bool(frame["data"].get("done"))
        self.stats.reply_bytes.append(size)
        if heavy:
            self.stats.exec_s.append((frame["data"]["observation"].get("execution") or {}).get("duration_s", 0.0))
        return latency


async def open_all(protocol: Protocol, count: int, stats: Stats, offset: int = 0) -> list[Session]:
    sessions = [Session(protocol, offset + i, stats) for i in range(count)]
    await asyncio.gather(*(s.open() for s in sessions))
    return sessions


async def close_all(sessions: list[Session]) -> None:
    await asyncio.gather(*(s.close() for s in sessions))


async def loop_until(session: Session, heavy: bool, stop_at: float, think_s: float, record: list[float]) -> None:
    """Closed loop: step, think, repeat until `stop_at` (a step in flight at `stop_at` still counts)."""
    if think_s:
        await asyncio.sleep(random.uniform(0, think_s))  # desynchronise the sessions
    n = 0
    while time.perf_counter() < stop_at and not session.broken:
        latency = await session.step(heavy, n)
        n += 1
        if latency is not None:
            record.append(latency)
        if think_s:
            await asyncio.sleep(think_s)


async def timed_load(protocol: Protocol, light: int, heavy: int, think_s: float, duration: float,
                     pid: int | None) -> tuple[Stats, Stats, float, str]:
    """`light` view sessions (think time `think_s`) and `heavy` evaluating sessions (back to back) for
    `duration` seconds: (light stats, heavy stats, measured seconds, cpu line)."""
    light_stats, heavy_stats = Stats(), Stats()
    sessions = await open_all(protocol, light, light_stats)
    heavies = await open_all(protocol, heavy, heavy_stats, offset=light)
    try:
        meter = CpuMeter(pid)
        started = time.perf_counter()
        stop_at = started + duration
        await asyncio.gather(*(loop_until(s, False, stop_at, think_s, light_stats.steps) for s in sessions),
                             *(loop_until(s, True, stop_at, 0, heavy_stats.steps) for s in heavies))
        elapsed = time.perf_counter() - started
        cpu = meter.line()
    finally:
        await close_all(sessions + heavies)
    return light_stats, heavy_stats, elapsed, cpu


async def server_throughput(protocol: Protocol, sessions: int, jobs: int, pid: int,
                            settle: Callable[[], None] | None = None) -> tuple[float, Stats, str]:
    """evals/s of `jobs` evaluations over `sessions` sessions (one unmeasured warm-up evaluation each, then
    `settle()` off the clock)."""
    stats = Stats()
    opened = await open_all(protocol, sessions, stats)
    try:
        warm = Stats()
        for s in opened:
            s.stats = warm
        await asyncio.gather(*(s.step(True, 0) for s in opened))
        for s in opened:
            s.stats = stats
        stats.errors.update({f"warm-up {k}": v for k, v in warm.errors.items()})
        stats.bad.extend(warm.bad)
        if settle is not None:
            await asyncio.to_thread(settle)
        queue = list(range(jobs))

        async def worker(s: Session) -> None:
            while queue and not s.broken:
                queue.pop()
                latency = await s.step(True, 0)
                if latency is not None:
                    stats.steps.append(latency)

        meter = CpuMeter(pid)
        started = time.perf_counter()
        await asyncio.gather(*(worker(s) for s in opened))
        elapsed = time.perf_counter() - started
        return len(stats.steps) / elapsed, stats, meter.line()  # checked evaluations only
    finally:
        await close_all(opened)


# ---------------------------------------------------------------- by hand

def solution_request() -> RunRequest:
    """The repo with the reference fix, plus the hidden tests (what the server evaluates, minus its canary)."""
    files = {p.relative_to(TASK / "repo").as_posix(): p.read_bytes()
             for p in sorted((TASK / "repo").rglob("*")) if p.is_file() and "__pycache__" not in p.parts}
    for path in sorted((TASK / "solution").rglob("*.py")):
        files[path.relative_to(TASK / "solution").as_posix()] = path.read_bytes()
    for path in sorted((TASK / "hidden_tests").glob("*.py")):
        files[f"tests/{path.name}"] = path.read_bytes()
    sources = tuple(sorted(p for p in files if p.startswith("shop/") and p.endswith(".py")))
    return RunRequest(files=files, source_files=sources, label="bench-by-hand")


def hand_once(hand: ByHand, request: RunRequest, stats: Stats) -> float:
    started = time.perf_counter()
    result = hand.run(request)
    elapsed = time.perf_counter() - started
    counts = outcome_counts(result)
    if counts[0] != 0 or counts[1] < 9:
        stats.bad.append(f"by hand: {result.status.value} {counts} {result.reason[:200]}")
    return elapsed


def hand_throughput(hand: ByHand, request: RunRequest, workers: int, jobs: int) -> tuple[float, Stats, str]:
    stats = Stats()
    meter = CpuMeter(None)
    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        stats.steps = list(pool.map(lambda _: hand_once(hand, request, stats), range(jobs)))
    return (jobs - len(stats.bad)) / (time.perf_counter() - started), stats, meter.line()


# ---------------------------------------------------------------- report

@dataclass
class Row:
    phase: str
    figure: str
    ours: str
    reference: str
    ratio: float | None
    goal: str
    flags: str = ""


class Report:
    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, row: Row) -> None:
        self.rows.append(row)
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        print(f"  => {row.figure}: {row.ours} vs {row.reference} = {ratio} (goal {row.goal})"
              + (f"  !! {row.flags}" if row.flags else ""), flush=True)

    def table(self) -> str:
        lines = ["| figure | ours | reference | ratio | goal |", "|---|---|---|---|---|"]
        for r in sorted(self.rows, key=lambda r: r.phase):
            ratio = f"**{r.ratio:.2f}×**" if r.ratio is not None else "–"
            flag = f" ⚠ {r.flags}" if r.flags else ""
            lines.append(f"| {r.figure}{flag} | {r.ours} | {r.reference} | {ratio} | {r.goal} |")
        return "\n".join(lines)


def describe(stats: Stats) -> str:
    return (f"n={len(stats.steps)} p50 {ms(median(stats.steps))} p99 {ms(pct(stats.steps, .99))} "
            f"max {ms(max(stats.steps, default=float('nan')))}; resets n={len(stats.resets)} "
            f"p50 {ms(median(stats.resets))}; reply {median(stats.reply_bytes):.0f} B")


def flags(*stats: Stats) -> str:
    return "; ".join(f for f in (s.flags() for s in stats) if f)


# ---------------------------------------------------------------- phases

def phase_tasks_list(report: Report, runs: int) -> None:
    cmd = [sys.executable, "-m", "environment.cli", "tasks", "list"]
    env = {**base_env(), "PYTHONPATH": str(ROOT)}
    times: list[float] = []
    problems: list[str] = []
    for i in range(runs + 1):  # the first is a warm-up (page cache)
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - started
        if proc.returncode != 0 or TASK_ID not in proc.stdout:
            problems.append(f"exit {proc.returncode}: {proc.stderr[-200:]}")
        if i:
            times.append(elapsed)
    print(f"(f) tasks list: {' '.join(f'{t:.2f}' for t in times)} s", flush=True)
    report.add(Row("f", f"`autocoderl tasks list` (median of {runs} fresh processes)", f"{median(times):.2f} s", "–",
                   None, "≤ 1 s", "; ".join(problems)))


def phase_startup(report: Report | None, fleet: Fleet, runs: int, max_sessions: int) -> tuple[Server, Server]:
    """(g): start both servers `runs` times (interleaved); the last ones stay up and are returned (no row
    without a `report`)."""
    ours_t: list[float] = []
    echo_t: list[float] = []
    ours = echo = None
    for i in range(runs):
        for kind in ("ours", "echo"):
            cmd, env, port = our_command("local", max_sessions) if kind == "ours" else echo_command(max_sessions)
            server = fleet.start(f"{kind}-local" if kind == "ours" else "echo", cmd, env,
                                 ROOT if kind == "ours" else BENCH, port)
            (ours_t if kind == "ours" else echo_t).append(server.ready_s)
            if i < runs - 1:
                fleet.stop(server)
            elif kind == "ours":
                ours = server
            else:
                echo = server
    assert ours is not None and echo is not None
    assert_ours(ours)
    print(f"(g) start -> /health: ours {' '.join(f'{t:.2f}' for t in ours_t)} s; "
          f"echo env {' '.join(f'{t:.2f}' for t in echo_t)} s", flush=True)
    if report is not None:
        report.add(Row("g", f"process start → `/health` answers (median of {runs}; local runner)",
                       f"{median(ours_t):.2f} s", f"{median(echo_t):.2f} s (echo env)", None, "≤ 3 s"))
    return ours, echo


async def first_observation(url: str) -> dict[str, Any]:
    """Our observation after a reset to the benchmark task (its files and step budget)."""
    async with websockets.connect(url, max_size=MAX_FRAME, open_timeout=60) as ws:
        await ws.send(json.dumps({"type": "reset", "data": {"task_id": TASK_ID}}))
        frame = json.loads(await asyncio.wait_for(ws.recv(), 60))
        await ws.send(json.dumps({"type": "close"}))
    if frame.get("type") != "observation":
        raise SystemExit(f"reset to {TASK_ID} answered {frame}")
    return frame["data"]["observation"]


async def check_views(protocol: Protocol) -> int:
    """One session of light steps (they must all pass their checks); the median reply size."""
    stats = Stats()
    (session,) = await open_all(protocol, 1, stats)
    try:
        for n in range(protocol.episode_steps + 1):
            await session.step(False, n)
    finally:
        await session.close()
    if stats.flags() or not stats.reply_bytes:
        raise SystemExit(f"{protocol.name}: light steps failed: {stats.flags()}")
    return int(median(stats.reply_bytes))


def our_protocol(server: Server, obs: dict[str, Any]) -> Protocol:
    files = obs["files"]
    fix = {FIX_FILE: (TASK / "solution" / FIX_FILE).read_text()}
    return Protocol(f"ours ({server.name})", server.ws, {"task_id": TASK_ID},
                    lambda n: {"action_type": "view_file", "file": files[n % len(files)]},
                    {"action_type": "suggest_fix", "files": fix}, obs["max_steps"], check_ours)


def echo_protocol(server: Server, episode_steps: int, pad: int = 0, sleep_s: float = 0.0) -> Protocol:
    return Protocol("echo env", server.ws, {}, lambda n: {"message": "hello", "pad": pad},
                    {"message": "evaluate", "sleep_s": sleep_s}, episode_steps, check_echo)


def phase_throughput(report: Report, server: Server, protocol: Protocol, hand: ByHand, request: RunRequest,
                     runner: str, jobs: int) -> None:
    """(a): the tools by hand 2 at a time, then `jobs` evaluations through 2 sessions."""
    rate_h, stats_h, cpu_h = hand_throughput(hand, request, 2, jobs)
    print(f"(a) by hand, 2 at a time: {rate_h:.2f} evals/s, latency p50 {ms(median(stats_h.steps))}; {cpu_h}",
          flush=True)
    settle = (lambda: docker_pool_settled(server.proc.pid)) if runner == "docker" else None
    rate, stats, cpu = asyncio.run(server_throughput(protocol, 2, jobs, server.proc.pid, settle))
    print(f"(a) {runner} runner via /ws, 2 sessions: {rate:.2f} evals/s, latency p50 {ms(median(stats.steps))}, "
          f"runner duration p50 {ms(median(stats.exec_s))}; {cpu}", flush=True)
    goal = "≥ 3×" if runner == "local" else "≥ 2×"
    report.add(Row("a", f"evals/s through the server, 2 sessions, {runner} runner ÷ by hand (2 at a time, {jobs} each)",
                   f"{rate:.2f}/s", f"{rate_h:.2f}/s", rate / rate_h, goal, flags(stats, stats_h)))


def phase_latency(report: Report, server: Server, protocol: Protocol, hand: ByHand, request: RunRequest,
                  runs: int) -> float:
    """(b): one session, one evaluation at a time, alternating with a by-hand run; our median latency."""
    ours, by_hand = Stats(), Stats()

    async def run() -> None:
        (session,) = await open_all(protocol, 1, ours)
        try:
            await session.step(True, 0)  # warm-up
            ours.steps.clear()
            ours.exec_s.clear()
            for _ in range(runs):
                by_hand.steps.append(await asyncio.to_thread(hand_once, hand, request, by_hand))
                latency = await session.step(True, 0)
                if latency is not None:
                    ours.steps.append(latency)
        finally:
            await session.close()

    asyncio.run(run())
    paired = median([o / h for o, h in zip(ours.steps, by_hand.steps, strict=False)])
    print(f"(b) one evaluation: via /ws p50 {ms(median(ours.steps))} (runner duration p50 "
          f"{ms(median(ours.exec_s))}), by hand p50 {ms(median(by_hand.steps))}; paired ratio {paired:.2f}",
          flush=True)
    report.add(Row("b", f"median latency of one evaluation, local runner ÷ by hand ({runs} alternating)",
                   ms(median(ours.steps)), ms(median(by_hand.steps)), median(ours.steps) / median(by_hand.steps),
                   "≤ 0.5×", flags(ours, by_hand)))
    return median(ours.steps)


def phase_think(report: Report, ours: Protocol, echo: Protocol, servers: tuple[Server, Server], sessions: int,
                think_s: float, duration: float) -> None:
    results = []
    for protocol, server in zip((ours, echo), servers, strict=True):
        light, _, elapsed, cpu = asyncio.run(timed_load(protocol, sessions, 0, think_s, duration, server.proc.pid))
        print(f"(c) {protocol.name}: {sessions} sessions view, {think_s * 1000:.0f} ms think: {describe(light)}; "
              f"{len(light.steps) / elapsed:.0f} steps/s; {cpu}", flush=True)
        results.append(light)
    a, b = results
    report.add(Row("c", f"{sessions} sessions of `view_file`, {think_s * 1000:.0f} ms think: p99 (p50) ÷ echo env",
                   f"{ms(pct(a.steps, .99))} ({ms(median(a.steps))})", f"{ms(pct(b.steps, .99))} "
                   f"({ms(median(b.steps))})", pct(a.steps, .99) / pct(b.steps, .99), "≤ 1.3×", flags(a, b)))


def phase_mixed(report: Report, ours: Protocol, echo_server: Server, servers: tuple[Server, Server], light: int,
                think_s: float, duration: float, pad: int) -> None:
    light_o, heavy_o, _, cpu = asyncio.run(timed_load(ours, light, 2, think_s, duration, servers[0].proc.pid))
    eval_s = median(heavy_o.steps)
    print(f"(d) ours: {light} light ({think_s * 1000:.0f} ms think): {describe(light_o)}; 2 heavy: "
          f"{len(heavy_o.steps)} evaluations p50 {ms(eval_s)}; {cpu}", flush=True)
    if eval_s != eval_s:  # nan: no evaluation finished inside the window
        eval_s = 1.0
    echo = echo_protocol(echo_server, ours.episode_steps, pad, sleep_s=eval_s)
    light_e, heavy_e, _, cpu = asyncio.run(timed_load(echo, light, 2, think_s, duration, servers[1].proc.pid))
    print(f"(d) echo env: {light} light: {describe(light_e)}; 2 heavy sleeping {ms(eval_s)}: "
          f"{len(heavy_e.steps)} steps p50 {ms(median(heavy_e.steps))}; {cpu}", flush=True)
    report.add(Row("d", f"{light} light sessions ({think_s * 1000:.0f} ms think) while 2 run evaluations back to back: "
                   f"p99 ÷ echo env with {ms(eval_s)} blocking steps",
                   f"{ms(pct(light_o.steps, .99))}", f"{ms(pct(light_e.steps, .99))}",
                   pct(light_o.steps, .99) / pct(light_e.steps, .99), "≤ 2×", flags(light_o, heavy_o, light_e)))


def phase_saturated(report: Report, ours: Protocol, echo: Protocol, servers: tuple[Server, Server], sessions: int,
                    duration: float) -> None:
    rates = []
    for protocol, server in zip((ours, echo), servers, strict=True):
        stats, _, elapsed, cpu = asyncio.run(timed_load(protocol, sessions, 0, 0.0, duration, server.proc.pid))
        rate = len(stats.steps) / elapsed
        print(f"(e) {protocol.name}: {sessions} sessions, no think: {rate:.0f} steps/s; {describe(stats)}; {cpu}",
              flush=True)
        rates.append((rate, stats))
    (a, sa), (b, sb) = rates
    report.add(Row("e", f"saturated non-executing steps/s ({sessions} sessions, no think time) ÷ echo env",
                   f"{a:.0f}/s", f"{b:.0f}/s", a / b, "≥ 0.6×", flags(sa, sb)))


def docker_pool_settled(pid: int, timeout: float = 30.0) -> None:
    """Wait (off the clock) until the docker server's container pool has refilled after the warm-up: its
    running sandbox containers reach the default pool size, min(4, cpus)."""
    want = min(4, os.cpu_count() or 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (owned_containers(pid, running=True) or 0) >= want:
            return
        time.sleep(0.2)
    print(f"   (the docker pool did not reach {want} containers within {timeout:.0f} s)", flush=True)


def owned_containers(pid: int, *, running: bool = False) -> int | None:
    """Sandbox containers owned by server process `pid` (None without an engine)."""
    try:
        import docker

        from sandbox.docker_runner import LABEL, OWNER_LABEL
        client = docker.from_env(version="auto")
        owner = f"{socket.gethostname()}:{pid}"
        return len(client.containers.list(all=not running, filters={"label": [LABEL, f"{OWNER_LABEL}={owner}"]}))
    except Exception:  # noqa: BLE001 - no engine: nothing can be left
        return None


# ---------------------------------------------------------------- main

def machine() -> str:
    model = platform.machine()
    with contextlib.suppress(OSError):
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), model)
    return (f"{os.cpu_count()} CPUs ({model}), Linux {platform.release()}, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.2f} at start")


def revision() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return rev + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run(args: argparse.Namespace, fleet: Fleet) -> Report:
    report = Report()
    phases = set(args.phases.split(","))
    runners = [r for r in args.runners.split(",") if r] if "a" in phases else []
    print(f"server code: {check_checkout()}", flush=True)
    hand = ByHand()
    request = solution_request()
    if "f" in phases:
        phase_tasks_list(report, args.list_runs)
    if phases & set("bcdeg") or "local" in runners:
        max_sessions = max(256, args.sessions + 8, args.saturate + 8, args.light + 8)
        ours_server, echo_server = phase_startup(report if "g" in phases else None, fleet,
                                                 args.start_runs if "g" in phases else 1, max_sessions)
        servers = (ours_server, echo_server)
        health = ours_server.health()
        print(f"local server: runner {health.get('runner')}, isolation {health.get('isolation')}, "
              f"python {str(health.get('python'))[:40]}", flush=True)
        obs = asyncio.run(first_observation(ours_server.ws))
        ours = our_protocol(ours_server, obs)
        ours_bytes = asyncio.run(check_views(ours))
        echo_bytes = asyncio.run(check_views(echo_protocol(echo_server, ours.episode_steps)))
        pad = max(0, ours_bytes - echo_bytes) if args.match_payload else 0
        echo = echo_protocol(echo_server, ours.episode_steps, pad)
        print(f"view_file reply {ours_bytes} B, echo reply {echo_bytes} B"
              + (f" (padded by {pad} B)" if pad else "") + f"; a session resets every {ours.episode_steps} steps",
              flush=True)
        if "local" in runners:
            phase_throughput(report, ours_server, ours, hand, request, "local", args.jobs)
        if "b" in phases:
            phase_latency(report, ours_server, ours, hand, request, args.runs)
        if "c" in phases:
            phase_think(report, ours, echo, servers, args.sessions, args.think_ms / 1000, args.duration)
        if "d" in phases:
            phase_mixed(report, ours, echo_server, servers, args.light, args.think_ms / 1000, args.duration, pad)
        if "e" in phases:
            phase_saturated(report, ours, echo, servers, args.saturate, args.duration)
        fleet.stop(ours_server)
        fleet.stop(echo_server)
    if "docker" in runners:
        cmd, env, port = our_command("docker", 16)
        docker_server = fleet.start("ours-docker", cmd, env, ROOT, port)
        assert_ours(docker_server)
        health = docker_server.health()
        if health.get("runner") != "docker":
            raise SystemExit(f"the AUTOCODERL_RUNNER=docker server reports runner {health.get('runner')}")
        print(f"docker server: /health after {docker_server.ready_s:.2f} s, image {health.get('image')}", flush=True)
        pid = docker_server.proc.pid
        protocol = our_protocol(docker_server, asyncio.run(first_observation(docker_server.ws)))
        phase_throughput(report, docker_server, protocol, hand, request, "docker", args.jobs)
        fleet.stop(docker_server)
        left = owned_containers(pid)
        if left:
            fleet.problems.append(f"{left} sandbox container(s) of the docker server left after it stopped")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny counts: checks that every phase works")
    parser.add_argument("--jobs", type=int, default=16, help="(a) evaluations per throughput measurement")
    parser.add_argument("--runs", type=int, default=9, help="(b) alternating evaluations per side")
    parser.add_argument("--duration", type=float, default=15.0, help="(c, d, e) seconds per server and phase")
    parser.add_argument("--sessions", type=int, default=64, help="(c) sessions with think time")
    parser.add_argument("--think-ms", type=float, default=100.0, help="(c, d) think time of light sessions")
    parser.add_argument("--light", type=int, default=16, help="(d) light sessions beside 2 evaluating ones")
    parser.add_argument("--saturate", type=int, default=64, help="(e) sessions with no think time")
    parser.add_argument("--list-runs", type=int, default=5, help="(f) measured `tasks list` processes")
    parser.add_argument("--start-runs", type=int, default=3, help="(g) measured server starts")
    parser.add_argument("--runners", default="local,docker", help="runners for (a): local, docker")
    parser.add_argument("--phases", default="a,b,c,d,e,f,g", help="which phases to run (see above)")
    parser.add_argument("--match-payload", action="store_true",
                        help="pad the echo env's replies to the size of our view_file replies")
    args = parser.parse_args()
    if args.quick:  # small counts, unless given explicitly
        for name, value in {"jobs": 4, "runs": 3, "duration": 3.0, "list_runs": 2, "start_runs": 1}.items():
            if getattr(args, name) == parser.get_default(name):
                setattr(args, name, value)
    command = "python " + " ".join([str(Path(sys.argv[0]))] + sys.argv[1:])
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    header = [f"date: {when}", f"machine: {machine()}", f"checkout: {ROOT} @ {revision()}", f"command: {command}"]
    print("\n".join(header) + "\n", flush=True)
    logs = Path(tempfile.mkdtemp(prefix="bench-server-"))
    fleet = Fleet(logs)
    try:
        report = run(args, fleet)
    finally:
        fleet.stop_all()
    print("\n" + "\n".join(header[:2] + [header[3]]))
    print(f"load average at end: {os.getloadavg()[0]:.2f}\n")
    print(report.table())
    if fleet.notes:
        print("\nserver warnings:\n" + "\n".join(f"- {n}" for n in dict.fromkeys(fleet.notes)))
    if fleet.problems:
        print("\nproblems:\n" + "\n".join(f"- {p}" for p in fleet.problems))
        print(f"(server logs kept in {logs})")
    else:
        shutil.rmtree(logs, ignore_errors=True)
    return 1 if fleet.problems or any(r.flags for r in report.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
