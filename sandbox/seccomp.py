"""A tiny seccomp filter for the Landlock tier: no network sockets (UDP included) and no io_uring.

Landlock only denies TCP bind/connect; UDP, raw and packet sockets need seccomp. The filter lets
`socket(AF_UNIX, ...)` through (asyncio, multiprocessing) and answers every other address family
with EAFNOSUPPORT. Foreign-ABI syscalls (i386 `socketcall`, x32) are refused outright.
"""

from __future__ import annotations

import ctypes
import platform

from sandbox.hardening import _libc

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
