"""Kernel hardening helpers: non-dumpable processes, capability drop, no_new_privs + Landlock, a seccomp
filter against network sockets, and Landlock signal scopes.

Standard library only: the server (local runner) and the harness inside the sandbox (the warm harness's
evaluation children) use the same code. Landlock (Linux >= 5.13) is an unprivileged filesystem allow-list;
ABI >= 4 adds TCP bind/connect denial and ABI >= 6 scopes signals and abstract unix sockets to the sandbox.
Everything degrades gracefully: on an older kernel the call returns False and the runner reports a weaker
isolation.

The seccomp filter (no network sockets, UDP included, and no io_uring): Landlock only denies TCP
bind/connect; UDP, raw and packet sockets need seccomp. The filter lets `socket(AF_UNIX, ...)` through
(asyncio, multiprocessing) and answers every other address family with EAFNOSUPPORT. Foreign-ABI syscalls
(i386 `socketcall`, x32) are refused outright.
"""

from __future__ import annotations

import ctypes
import os
import platform

_SYS_CREATE, _SYS_ADD_RULE, _SYS_RESTRICT = 444, 445, 446
_PR_SET_DUMPABLE, _PR_CAPBSET_DROP, _PR_SET_SECUREBITS, _PR_SET_NO_NEW_PRIVS, _PR_CAP_AMBIENT = 4, 24, 28, 38, 47
_SECUREBITS_ROOT_POWERLESS = 0xEF  # NOROOT, NO_SETUID_FIXUP, NO_CAP_AMBIENT_RAISE (+ KEEP_CAPS off), all locked
_READ_FILE, _READ_DIR, _EXECUTE, _WRITE_FILE = 1 << 2, 1 << 3, 1 << 0, 1 << 1
_ALL_FS_V1 = (1 << 13) - 1
_REFER, _TRUNCATE, _IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_RIGHTS = _READ_FILE | _EXECUTE | _WRITE_FILE | _TRUNCATE | _IOCTL_DEV
_NET_ALL = (1 << 0) | (1 << 1)
_SCOPE_ALL = (1 << 0) | (1 << 1)
_SYSTEM_READ = ("/usr", "/lib", "/lib64", "/bin", "/etc/ld.so.cache", "/etc/localtime", "/etc/alternatives",
                "/etc/ssl")
"""Read-only system paths. Not all of /etc: a root child must not read /etc/shadow and friends."""
_DEVICES = ("/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom")
"""The only device nodes the child may open. Never all of /dev: a root child could open the raw disk,
/dev/kmsg or the console, and /dev/shm is an unbounded host tmpfs."""
_LIBC = None


def _libc() -> ctypes.CDLL | None:
    global _LIBC
    if _LIBC is None and platform.system() == "Linux":
        try:
            _LIBC = ctypes.CDLL(None, use_errno=True)
        except OSError:
            return None
    return _LIBC


def child_pids(pid: int) -> set[int]:
    """The direct children of `pid` (from /proc; empty when it is not readable)."""
    found: set[int] = set()
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as fh:
                found |= {int(c) for c in fh.read().split()}
    except OSError:
        pass
    return found


def set_child_subreaper() -> bool:
    """Orphaned descendants are reparented to this process (PR_SET_CHILD_SUBREAPER), which must reap them."""
    libc = _libc()
    return bool(libc) and libc.prctl(36, 1, 0, 0, 0) == 0


def make_non_dumpable() -> bool:
    """Same-uid children can no longer ptrace this process or read /proc/<pid>/environ or mem."""
    libc = _libc()
    return bool(libc) and libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) == 0


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> bool:
    """Make a root process powerless (call it in the child before exec): no capabilities now or after exec.

    uid 0 without capabilities still owns root's files, which Landlock fences off; it can no longer
    reboot, load modules, change the clock, open raw sockets, ptrace, or raise its own rlimits.
    A non-root process has nothing to drop: True.
    """
    if os.geteuid() != 0:
        return True
    libc = _libc()
    if libc is None or libc.prctl(_PR_SET_SECUREBITS, _SECUREBITS_ROOT_POWERLESS, 0, 0, 0) != 0:
        return False
    for cap in range(64):
        if libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() != 22:  # EINVAL: past the last cap
            return False
    libc.prctl(_PR_CAP_AMBIENT, 4, 0, 0, 0)  # PR_CAP_AMBIENT_CLEAR_ALL
    data = (_CapData * 2)()
    return libc.capset(ctypes.byref(_CapHeader(0x20080522, 0)), data) == 0


def nproc_limit(margin: int) -> int | None:
    """RLIMIT_NPROC for a non-root child without a cgroup: the uid's current task count plus `margin`.

    The kernel counts every task of the real uid (the server's threads too) and ignores the limit for
    root, so this is only a fork-bomb brake where no pids cgroup exists. None for root.
    """
    uid = os.getuid()
    if uid == 0:
        return None
    tasks = 0
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and entry.stat().st_uid == uid:
                tasks += len(os.listdir(f"/proc/{entry.name}/task"))
        except OSError:
            continue
    return tasks + margin


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("handled_access_fs", ctypes.c_uint64), ("handled_access_net", ctypes.c_uint64),
                ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def landlock_abi() -> int:
    libc = _libc()
    if libc is None or platform.machine() not in ("x86_64", "aarch64"):
        return 0
    version = libc.syscall(_SYS_CREATE, None, 0, 1)
    return max(version, 0)


def landlock_restrict(writable: list[str] | None = None, readable: list[str] | None = None,
                      probe: bool = False) -> bool:
    """Confine the calling process (call it in the child before exec) to the given paths.

    Reads: a few system paths + `readable`; reads and writes: `writable` and a handful of harmless
    device nodes. With ABI >= 4 all TCP bind/connect is denied, with ABI >= 6 signals and abstract
    sockets are scoped. `probe=True` only reports whether Landlock is usable.
    """
    abi = landlock_abi()
    if abi < 1:
        return False
    if probe:
        return True
    libc = _libc()
    fs = _ALL_FS_V1 | (_REFER if abi >= 2 else 0) | (_TRUNCATE if abi >= 3 else 0) | (_IOCTL_DEV if abi >= 5 else 0)
    attr = _RulesetAttr(fs, _NET_ALL if abi >= 4 else 0, _SCOPE_ALL if abi >= 6 else 0)
    size = ctypes.sizeof(_RulesetAttr) if abi >= 6 else (16 if abi >= 4 else 8)
    ruleset = libc.syscall(_SYS_CREATE, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        return False
    read = _READ_FILE | _READ_DIR | _EXECUTE
    rules = [(p, read) for p in (*_SYSTEM_READ, *(readable or []))] + [(p, _FILE_RIGHTS) for p in _DEVICES]
    rules += [(p, fs) for p in writable or []]
    try:
        for path, access in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                allowed = access if os.path.isdir(path) else access & _FILE_RIGHTS
                rule = _PathBeneath(allowed & fs, fd)
                if libc.syscall(_SYS_ADD_RULE, ruleset, 1, ctypes.byref(rule), 0) != 0:
                    return False
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return False
        return libc.syscall(_SYS_RESTRICT, ruleset, 0) == 0
    finally:
        os.close(ruleset)


# ---- seccomp: no network sockets ----------------------------------------------------------------------

_ARCH = {"x86_64": (0xC000003E, {"socket": 41, "io_uring_setup": 425}),
         "aarch64": (0xC00000B7, {"socket": 198, "io_uring_setup": 425})}
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_EPERM, _EAFNOSUPPORT = 1, 97
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_AF_UNIX = 1


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def _program(arch: int, nrs: dict[str, int]) -> list[tuple[int, int, int, int]]:
    return [
        (_LD_W_ABS, 0, 0, 4),                       # seccomp_data.arch
        (_JEQ_K, 1, 0, arch),
        (_RET_K, 0, 0, _RET_ERRNO | _EPERM),        # foreign ABI (i386 socketcall)
        (_LD_W_ABS, 0, 0, 0),                       # seccomp_data.nr
        (_JGE_K, 0, 1, 0x40000000),
        (_RET_K, 0, 0, _RET_ERRNO | _EPERM),        # x32 syscalls
        (_JEQ_K, 0, 1, nrs["io_uring_setup"]),
        (_RET_K, 0, 0, _RET_ERRNO | _EPERM),
        (_JEQ_K, 1, 0, nrs["socket"]),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_LD_W_ABS, 0, 0, 16),                      # low word of args[0]: the address family
        (_JEQ_K, 0, 1, _AF_UNIX),
        (_RET_K, 0, 0, _RET_ALLOW),
        (_RET_K, 0, 0, _RET_ERRNO | _EAFNOSUPPORT),
    ]


def deny_network_sockets() -> bool:
    """Install the filter on the calling process (in the child, before exec). False when unsupported."""
    libc = _libc()
    arch = _ARCH.get(platform.machine())
    if libc is None or arch is None or platform.system() != "Linux":
        return False
    ops = _program(*arch)
    insns = (_Filter * len(ops))(*[_Filter(*op) for op in ops])
    prog = _Program(len(ops), insns)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0


def scope_signals() -> bool:
    """Enter a new Landlock domain that only scopes signals and abstract unix sockets (ABI >= 6): processes
    started later can no longer signal or ptrace this one, and `kill(-1)` from it reaches only its own
    descendants. False where Landlock is too old or absent."""
    libc = _libc()
    if libc is None or landlock_abi() < 6:
        return False
    ruleset = libc.syscall(_SYS_CREATE, ctypes.byref(_RulesetAttr(0, 0, _SCOPE_ALL)), ctypes.sizeof(_RulesetAttr), 0)
    if ruleset < 0:
        return False
    try:
        return libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 and libc.syscall(_SYS_RESTRICT, ruleset, 0) == 0
    finally:
        os.close(ruleset)
