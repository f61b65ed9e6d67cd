"""The one CPython that runs code under test, for every runner: Debian bookworm's `python3.11` package.

The sandbox image is a Debian bookworm root with that package (made by debootstrap offline, with the exact
.deb versions this host has installed), and the local runner builds its venvs from the host's
`/usr/bin/python3.11` (scripts/install.sh installs and updates it). Same build, same results: a task
cannot pass on one runner and fail on the other because of the interpreter (tarfile filters, say).
Where the host has no such interpreter, the local runner falls back to the server's own and says so.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

DEBIAN_PYTHON = "/usr/bin/python3.11"
DEBIAN_PACKAGES = ("python3.11", "python3.11-minimal", "libpython3.11-minimal", "libpython3.11-stdlib")
"""The packages that make up the interpreter and its standard library (the image gets these exact versions)."""
START_ENV = {"LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
"""What every runner starts the sandbox interpreter with (Docker's container, bwrap's jail, the Landlock tier):
one string hash, hence one set order, under every runner and in every run. The evaluation's test process is
forked from that interpreter and keeps its hash seed, so the variable must be there when it starts."""


@dataclass(frozen=True)
class Interpreter:
    """An interpreter that runs code under test: its path and `sys.version` (version and build)."""

    path: str
    version: str
    """The whole `sys.version`, e.g. '3.11.2 (main, May 12 2026, 05:17:27) [GCC 12.2.0]'."""
    shared: bool
    """True when it is the sandbox's common interpreter (Debian's), False for a fallback."""

    @property
    def short(self) -> str:
        return self.version.split()[0]


@functools.cache
def sandbox_interpreter() -> Interpreter:
    """AUTOCODERL_SANDBOX_PYTHON, else Debian's python3.11 when present, else the server's own interpreter."""
    chosen = os.environ.get("AUTOCODERL_SANDBOX_PYTHON") or (DEBIAN_PYTHON if os.access(DEBIAN_PYTHON, os.X_OK)
                                                             else None)
    if chosen:
        try:
            version = subprocess.run([chosen, "-I", "-c", "import sys; print(sys.version)"], capture_output=True,
                                     text=True, timeout=30, check=True).stdout.strip()
            return Interpreter(chosen, version, shared=Path(chosen).resolve() == Path(DEBIAN_PYTHON).resolve())
        except (OSError, subprocess.SubprocessError):
            pass
    return Interpreter(sys.executable, sys.version, shared=False)


def same_build(a: str | None, b: str | None) -> bool:
    """Two `sys.version` strings name the same build (version, build date and compiler)."""
    return bool(a) and bool(b) and " ".join(a.split()) == " ".join(b.split())
