"""DockerRunner: one hardened, throwaway container per evaluation; same protocol and statuses as LocalRunner.

Every container gets the full hardening set (no network, read-only root with size-capped tmpfs for
/work and /tmp, cap-drop ALL, no-new-privileges, default seccomp, pids/memory/CPU caps, ulimits,
uid 10001, an init, no IPC, no logs) and is used exactly once. The repo and config go in on the
attach socket's stdin (put_archive cannot write to a read-only root on Docker 20.10). The host owns
time and output: it kills at the deadline, caps what it reads, and takes OOM from the container state.

Latency: a few containers are created, attached and started ahead of time, so their interpreter is
already blocked on stdin; the critical path is "send the tar, read the report, see the exit". A
background thread refills the pool: the base image's, and a smaller one per derived image (task
requirements) in recent use. Containers carry labels (runner, owner process, run id) so that
leftovers are swept at start-up (those of dead owners) and on close()/exit (our own).
"""

from __future__ import annotations

import json
import logging
import os
import queue
import secrets
import select
import socket
import struct
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any

from sandbox.derived_image import build_derived, find_derived
from sandbox.environments import EnvironmentInfo, EnvironmentStore
from sandbox.image import PYTHON_LABEL, docker_client, ensure_image, image_target
from sandbox.interpreter import START_ENV
from sandbox.outcome import MARKER, classify, extract_report
from sandbox.requirements import RequirementSet, image_base
from sandbox.tarball import build_tar
from sandbox.types import Isolation, Limits, RunRequest, RunResult, SandboxError

LABEL = "autocoderl.sandbox"
RUNNER_LABEL = "autocoderl.sandbox.runner"
OWNER_LABEL = "autocoderl.sandbox.owner"
RUN_LABEL = "autocoderl.sandbox.run"
SANDBOX_UID = 10001
PYTHON = "/opt/venv/bin/python"
DRIVER = "/opt/autocoderl/harness/driver.py"
OUTPUT_SLACK = 65536  # like LocalRunner: the report line may follow a full output cap
TMP_MB = 16
DERIVED_POOL = 2
"""Containers kept started for a derived image (task requirements) while it is in use."""
DERIVED_IDLE_S = 300.0
"""A derived image's pool is dropped after this long without an evaluation."""

log = logging.getLogger("autocoderl.sandbox.docker")


@dataclass
class _Container:
    """A created, attached and started container whose driver waits for its stdin."""

    cid: str
    run_id: str
    sock: socket.socket
    holder: Any  # keeps docker-py's response (and so the connection) alive
    key: tuple


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _container_key(limits: Limits) -> tuple:
    """The limits baked into a container at creation (the rest is enforced by the host per run)."""
    return (limits.memory_mb, limits.pids, limits.file_mb, limits.disk_mb, limits.nofile, limits.cpu_s)


def _remove_labelled(api: Any, label: str, state: dict) -> int:
    """Remove every container carrying `label` (force: running ones are killed). Used by close() and at exit."""
    state["closed"] = True
    removed = 0
    try:
        for info in api.containers(all=True, filters={"label": label}):
            removed += _remove(api, info["Id"])
    except Exception as exc:  # noqa: BLE001 - best effort at shutdown; the next start-up sweep retries
        log.warning("sweeping %s failed: %s", label, exc)
    return removed


def _remove(api: Any, cid: str) -> int:
    import docker.errors

    try:
        api.remove_container(cid, force=True, v=True)
        return 1
    except docker.errors.NotFound:
        return 0
    except docker.errors.APIError as exc:
        if "already in progress" in str(exc):
            return 0
        raise


class DockerRunner:
    """Runs the harness in a fresh hardened container per evaluation (pre-started from a small pool).

    Args:
        image: image tag; default `autocoderl-sandbox:<content hash>` of this checkout.
        limits: the container-level limits pooled containers are made with (requests with other
            memory/pids/disk/file/nofile/cpu limits get a fresh container made on the spot).
        pool_size: containers kept started ahead (0 disables the pool); default min(4, cpu count).
        cpus: CPU cap per container (nano_cpus); default min(2, cpu count).
        build: build the image when missing instead of raising.

    Raises:
        SandboxError: the engine does not answer or the image is missing.
    """

    name = "docker"
    isolation = Isolation.DOCKER

    def __init__(self, *, image: str | None = None, limits: Limits | None = None, pool_size: int | None = None,
                 cpus: float | None = None, build: bool = False, client: Any = None) -> None:
        self.client = client or docker_client()
        self.api = self.client.api
        self.image = image or ensure_image(client=self.client, build=build)
        try:
            self.api.inspect_image(self.image)
        except Exception as exc:  # noqa: BLE001
            raise SandboxError(f"sandbox image {self.image} is missing: {exc}", runner=self.name) from exc
        ncpu = os.cpu_count() or 1
        self.limits = limits or Limits()
        self.cpus = float(cpus if cpus is not None else min(2, ncpu))
        self.pool_size = min(4, ncpu) if pool_size is None else max(0, pool_size)
        self.runner_id = secrets.token_hex(6)
        self._python: str | None = None
        self._python_probe = threading.Event()
        base, target, base_tag = image_base(), image_target(self.client), self.image
        self.environments = EnvironmentStore(
            base_info=EnvironmentInfo("image", base_tag, base_tag), base=base, target=target,
            find=lambda reqs, key: find_derived(self.client, base_tag, reqs, key),
            build=lambda reqs, key, echo: build_derived(self.client, base_tag, reqs, key, base, target, echo),
            runner=self.name)
        try:
            self.sweep_stale()
        except Exception as exc:  # noqa: BLE001
            raise SandboxError(f"the Docker engine failed a container listing: {exc}", runner=self.name) from exc
        self._state: dict = {"closed": False}
        self._pools: dict[str, queue.SimpleQueue[_Container]] = {self.image: queue.SimpleQueue()}
        self._wanted: dict[str, int] = {self.image: self.pool_size}
        self._last_used: dict[str, float] = {}
        self._pools_lock = threading.Lock()
        self._wake = threading.Event()
        self._finalizer = weakref.finalize(self, _remove_labelled, self.api, f"{RUNNER_LABEL}={self.runner_id}",
                                           self._state)
        self._reap: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._reaper = threading.Thread(target=_reap_loop, args=(self.api, self._reap),
                                        name=f"docker-reaper-{self.runner_id}", daemon=True)
        self._reaper.start()
        self._refiller: threading.Thread | None = None
        if self.pool_size:
            self._refiller = threading.Thread(target=_refill_loop, args=(weakref.ref(self), self._wake, self._state),
                                              name=f"docker-pool-{self.runner_id}", daemon=True)
            self._refiller.start()

    def describe(self) -> dict:
        return {"runner": self.name, "isolation": self.isolation.value, "image": self.image,
                "pool_size": self.pool_size, "cpus": self.cpus, "python": self.python(),
                "environments": self.environments.describe()}

    def python(self) -> str | None:
        """The image interpreter's `sys.version`: from the image's label, else asked once in a throwaway container
        (in the background: None until known)."""
        if self._python is None:
            label = (self.api.inspect_image(self.image).get("Config", {}).get("Labels") or {}).get(PYTHON_LABEL)
            if label:
                self._python = label
            elif not self._python_probe.is_set():
                self._python_probe.set()
                threading.Thread(target=self._probe_python, name="docker-python-probe", daemon=True).start()
        return self._python

    def _probe_python(self) -> None:
        try:
            out = self.client.containers.run(self.image, [PYTHON, "-I", "-c", "import sys; print(sys.version)"],
                                             network_mode="none", remove=True, user=f"{SANDBOX_UID}")
            self._python = out.decode().strip()
        except Exception as exc:  # noqa: BLE001 - reported as unknown; runs still work
            log.warning("could not read the image's python version: %s", exc)

    def warm(self, timeout: float = 30.0) -> bool:
        """Block until the pool is full (e.g. at server start); False if it did not fill within `timeout`."""
        deadline = time.monotonic() + timeout
        while self._pools[self.image].qsize() < self.pool_size:
            if time.monotonic() > deadline or self._state["closed"]:
                return False
            self._wake.set()
            time.sleep(0.01)
        return True

    # ---- containers -------------------------------------------------------------------------------

    def _create(self, limits: Limits, image: str | None = None) -> _Container:
        """Create, attach and start one container of `image` (default: the base image); its driver then blocks
        reading stdin."""
        from docker.types import LogConfig, Ulimit

        run_id = secrets.token_hex(8)
        tmpfs_opts = "rw,nosuid,nodev,noexec,uid={uid},gid={uid},mode=0700,size={mb}m,nr_inodes={inodes}"
        host_config = self.api.create_host_config(
            network_mode="none", read_only=True,
            tmpfs={"/work": tmpfs_opts.format(uid=SANDBOX_UID, mb=limits.disk_mb, inodes=16384),
                   "/tmp": tmpfs_opts.format(uid=SANDBOX_UID, mb=TMP_MB, inodes=1024)},
            cap_drop=["ALL"], security_opt=["no-new-privileges:true"], pids_limit=limits.pids,
            mem_limit=f"{limits.memory_mb}m", memswap_limit=f"{limits.memory_mb}m",
            nano_cpus=int(self.cpus * 1e9), init=True, ipc_mode="none", log_config=LogConfig(type="none"),
            ulimits=[Ulimit(name="nofile", soft=limits.nofile, hard=limits.nofile),
                     Ulimit(name="fsize", soft=limits.file_mb << 20, hard=limits.file_mb << 20),
                     Ulimit(name="core", soft=0, hard=0),
                     Ulimit(name="cpu", soft=limits.cpu_s, hard=limits.cpu_s)])
        labels = {LABEL: "1", RUNNER_LABEL: self.runner_id, OWNER_LABEL: _owner(), RUN_LABEL: run_id}
        cid = self.api.create_container(
            # --warm: the tools are imported while the container waits in the pool
            image or self.image, command=[PYTHON, "-P", "-s", "-B", DRIVER, "--warm"],
            user=f"{SANDBOX_UID}:{SANDBOX_UID}", working_dir="/work", stdin_open=True, tty=False,
            network_disabled=True, labels=labels,
            environment={"PATH": "/opt/venv/bin:/usr/local/bin:/usr/bin:/bin", "HOME": "/work",
                         "PYTHONDONTWRITEBYTECODE": "1", **START_ENV},
            host_config=host_config, use_config_proxy=False)["Id"]
        try:
            if self._state["closed"]:
                raise SandboxError("runner closed", runner=self.name)
            holder = self.api.attach_socket(cid, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1})
            sock = getattr(holder, "_sock", holder)
            self.api.start(cid)
        except BaseException:
            _remove(self.api, cid)
            raise
        return _Container(cid, run_id, sock, holder, _container_key(limits))

    def _take(self, limits: Limits, image: str) -> _Container:
        """A pooled container when one fits and is still quiet (nothing printed, not exited), else a fresh one.
        The pool holds base-image containers only; a derived image gets a container made on the spot."""
        key = _container_key(limits)
        if self.pool_size and key == _container_key(self.limits):
            pool = self._pool_for(image)
            while True:
                try:
                    box = pool.get_nowait()
                except queue.Empty:
                    break
                self._wake.set()
                if not _readable(box.sock, 0):
                    return box
                self._discard(box)  # it spoke or hung up before getting any input: never trust it
            self._wake.set()
        try:
            return self._create(limits, image)
        except SandboxError:
            raise
        except Exception as exc:  # noqa: BLE001 - engine trouble is ours, not the evaluated code's
            raise SandboxError(f"could not start a sandbox container: {exc}", runner=self.name) from exc

    def _pool_for(self, image: str) -> queue.SimpleQueue[_Container]:
        """The pool of `image`, made (and marked wanted) on a derived image's first use."""
        with self._pools_lock:
            self._last_used[image] = time.monotonic()
            pool = self._pools.setdefault(image, queue.SimpleQueue())
            if image != self.image:
                self._wanted[image] = min(DERIVED_POOL, self.pool_size)
            return pool

    def _pool_deficit(self) -> str | None:
        """An image whose pool is short (base first); idle derived pools are dropped on the way."""
        now = time.monotonic()
        with self._pools_lock:
            for image in [i for i in self._wanted if i != self.image]:
                if self._wanted[image] and now - self._last_used.get(image, now) > DERIVED_IDLE_S:
                    self._wanted[image] = 0
                    while True:
                        try:
                            self._discard(self._pools[image].get_nowait())
                        except queue.Empty:
                            break
            return next((image for image, want in self._wanted.items() if self._pools[image].qsize() < want), None)

    def _discard(self, box: _Container) -> None:
        try:
            box.sock.close()
        finally:
            try:
                _remove(self.api, box.cid)
            except Exception as exc:  # noqa: BLE001
                log.warning("removing container %s failed: %s", box.cid[:12], exc)

    # ---- one evaluation ---------------------------------------------------------------------------

    def run(self, request: RunRequest) -> RunResult:
        """Raises RequirementsError for requirements that cannot be provided (a missing image is built first)."""
        if self._state["closed"]:
            raise SandboxError("runner is closed", runner=self.name)
        started = time.monotonic()
        env = self.environments.get(RequirementSet.of(request.requirements))
        limits = request.limits
        nonce = secrets.token_hex(16)
        tar = build_tar(request.files)
        box = self._take(limits, env.id)
        try:
            config = request.harness_config(nonce, limits.wall_s - 1.0)  # its clock starts when this arrives
            payload = json.dumps(config).encode() + b"\n" + tar
            return self._exchange(box, payload, nonce, limits, started, env)
        finally:
            self._release(box)

    def _release(self, box: _Container) -> None:
        """Hand a used container to the reaper (kill + remove off the critical path; close() waits for it)."""
        box.sock.close()
        if self._reaper.is_alive() and not self._state["closed"]:
            self._reap.put(box.cid)
        else:
            self._discard(box)

    def _exchange(self, box: _Container, payload: bytes, nonce: str, limits: Limits, started: float,
                  env: EnvironmentInfo) -> RunResult:
        deadline = started + limits.wall_s
        sock = box.sock
        cap = limits.output_bytes
        output = bytearray()
        total = 0
        buf = b""
        host_timeout = host_overflow = eof = False
        outgoing = memoryview(payload)
        sock.setblocking(False)
        poller = select.poll()  # not select(): a busy server may hold fds above FD_SETSIZE
        poller.register(sock, select.POLLIN | select.POLLOUT)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                host_timeout = True
                break
            events = 0
            for _, mask in poller.poll(min(remaining, 1.0) * 1000):
                events |= mask
            readable = events & (select.POLLIN | select.POLLHUP | select.POLLERR)
            writable = events & (select.POLLOUT | select.POLLERR)
            if writable and outgoing is not None:
                try:
                    sent = sock.send(outgoing[:262144])
                    outgoing = outgoing[sent:]
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:  # the container is gone; read what it said
                    outgoing = memoryview(b"")
                if outgoing is not None and not len(outgoing):
                    outgoing = None
                    poller.modify(sock, select.POLLIN)
                    try:
                        sock.shutdown(socket.SHUT_WR)  # StdinOnce: the driver's stdin sees EOF
                    except OSError:
                        pass
            if readable:
                try:
                    chunk = sock.recv(262144)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    chunk = b""
                if not chunk:
                    eof = True
                    break
                buf += chunk
                while len(buf) >= 8:  # docker's multiplexed frames: type, 3 pad bytes, big-endian size
                    size = struct.unpack(">L", buf[4:8])[0]
                    if len(buf) < 8 + size:
                        break
                    frame, buf = buf[8:8 + size], buf[8 + size:]
                    total += len(frame)
                    if len(output) < cap:
                        output.extend(frame[: cap - len(output)])
                if total > cap + OUTPUT_SLACK:
                    host_overflow = True
                    break
        exit_code, oom = None, False
        if eof and not (host_timeout or host_overflow):
            exit_code, oom, host_timeout = self._wait_exit(box.cid, deadline)
        text = bytes(output).decode("utf-8", "replace")
        report = extract_report(text, nonce)
        status, reason = classify(report, host_timeout=host_timeout, host_overflow=host_overflow, oom=oom,
                                  exit_code=exit_code)
        tail = text if report is None else text.split(f"{MARKER} {nonce}")[0]
        return RunResult(status=status, runner=self.name, isolation=self.isolation,
                         duration_s=time.monotonic() - started, report=report, exit_code=exit_code,
                         reason=reason, output_tail=tail[-2000:], image=env.id, environment=env.to_dict())

    def _wait_exit(self, cid: str, deadline: float) -> tuple[int | None, bool, bool]:
        """Exit code and OOMKilled once the container stopped; (None, False, True) if it outlives the deadline."""
        import requests.exceptions

        try:
            state = self.api.inspect_container(cid)["State"]  # EOF came with the exit: usually stopped already
            if state.get("Running"):
                self.api.wait(cid, timeout=max(0.1, deadline - time.monotonic()) + 1)
                state = self.api.inspect_container(cid)["State"]
        except requests.exceptions.ReadTimeout:
            return None, False, True
        except Exception as exc:  # noqa: BLE001
            raise SandboxError(f"lost track of container {cid[:12]}: {exc}", runner=self.name) from exc
        if state.get("Running"):
            return None, False, True
        return state.get("ExitCode"), bool(state.get("OOMKilled")), False

    # ---- housekeeping -----------------------------------------------------------------------------

    def sweep_stale(self) -> int:
        """Remove sandbox containers left by dead processes on this host (never those of live owners)."""
        host = socket.gethostname()
        removed = 0
        for info in self.api.containers(all=True, filters={"label": LABEL}):
            owner = (info.get("Labels") or {}).get(OWNER_LABEL, "")
            owner_host, _, pid = owner.rpartition(":")
            if owner_host == host and pid.isdigit() and _pid_alive(int(pid)):
                continue
            if owner_host and owner_host != host:
                continue
            removed += _remove(self.api, info["Id"])
        if removed:
            log.info("removed %d leftover sandbox containers", removed)
        return removed

    def close(self) -> None:
        """Stop refilling and remove every container this runner made (idempotent)."""
        self._state["closed"] = True
        self.environments.close()
        self._wake.set()
        if self._refiller is not None:
            self._refiller.join(timeout=10)
        self._reap.put(None)
        self._reaper.join(timeout=30)
        for pool in list(self._pools.values()):
            while True:
                try:
                    self._discard(pool.get_nowait())
                except queue.Empty:
                    break
        self._finalizer()

    def __enter__(self) -> DockerRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _readable(sock: socket.socket, timeout_s: float) -> bool:
    poller = select.poll()
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(timeout_s * 1000))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap_loop(api: Any, todo: queue.SimpleQueue) -> None:
    """Remove used containers (force: a container still running at its deadline is killed first)."""
    while (cid := todo.get()) is not None:
        try:
            _remove(api, cid)
        except Exception as exc:  # noqa: BLE001 - close()/exit sweep by label catches what is left
            log.warning("removing container %s failed: %s", cid[:12], exc)


def _refill_loop(ref: weakref.ref, wake: threading.Event, state: dict) -> None:
    """Keep the pools of started containers full; holds the runner only weakly so it can be collected."""
    failures = 0
    while not state["closed"]:
        wake.clear()
        runner = ref()
        if runner is None:
            return
        image = runner._pool_deficit()
        if image is None:
            del runner
            wake.wait(1.0)
            continue
        try:
            box = runner._create(runner.limits, image)
            failures = 0
        except Exception as exc:  # noqa: BLE001 - keep the pool alive; run() creates on demand
            failures += 1
            if not state["closed"]:
                log.warning("pool refill failed (%d): %s", failures, exc)
            del runner
            time.sleep(min(5.0, 0.1 * 2 ** failures))
            continue
        if state["closed"]:
            runner._discard(box)
            return
        runner._pools[image].put(box)
        del runner

__all__ = ["LABEL", "DockerRunner"]
