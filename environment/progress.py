"""Progress of long CLI commands (`tasks validate`, `sandbox build`): a bar on a terminal, one line per
finished item otherwise (CI logs, pipes), so a command never sits silent for minutes."""

from __future__ import annotations

import os
import sys
import time
from typing import IO, Any


def _terminal_width(stream: IO[str]) -> int:
    """Columns of the terminal `stream` writes to; 0 when it is no terminal (or one without a size)."""
    try:
        return os.get_terminal_size(stream.fileno()).columns if stream.isatty() else 0
    except (AttributeError, OSError, ValueError):
        return 0


class Progress:
    """Progress over `total` items, written to `stream` (default stderr).

    On a terminal: a tqdm bar; `done` moves it and `note` prints above it. Elsewhere: `done` prints
    `[i/total] <line> (<seconds> s)` and `note` prints its line, each flushed at once.
    """

    def __init__(self, total: int, desc: str, *, unit: str = "task", stream: IO[str] | None = None) -> None:
        self.total, self.count, self.stream = total, 0, stream or sys.stderr
        self.started = time.monotonic()
        self.bar: Any = None
        if _terminal_width(self.stream) > 0:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit=unit, file=self.stream, dynamic_ncols=True)

    def done(self, line: str, seconds: float | None = None, *, postfix: str = "") -> None:
        """One item finished: `line` says which and how it went (shown in full off a terminal)."""
        self.count += 1
        if self.bar is not None:
            if postfix:
                self.bar.set_postfix_str(postfix, refresh=False)
            self.bar.update(1)
            return
        took = f" ({seconds:.1f} s)" if seconds is not None else ""
        width = len(str(self.total))
        print(f"[{self.count:>{width}}/{self.total}] {line}{took}", file=self.stream, flush=True)

    def note(self, line: str, stream: IO[str] | None = None) -> None:
        """A line that is not progress (a failure worth seeing now, build output), kept clear of the bar."""
        out = stream or self.stream
        if self.bar is not None:
            self.bar.write(line, file=out)
        else:
            print(line, file=out, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
