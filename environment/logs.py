"""The server's logging: one start-up line, then requests and errors at the level the user picks.

`serve --log-level` / AUTOCODERL_LOG_LEVEL (debug | info | warning | error; default info):
- the start-up line (URL, runner, isolation, task count) is printed whatever the level, once the socket
  is bound (it replaces uvicorn's "Uvicorn running on ..." record, which names the real port);
- info: one access line per HTTP request and per WebSocket connection, and client mistakes on /ws;
- warning: server-side failures (unscorable steps, unexpected exceptions with their traceback);
- debug: every WebSocket message with its answer and latency, and uvicorn's lifecycle chatter.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import Any

from environment.config import LOG_LEVELS as LEVELS

LIFECYCLE = ("Started server process", "Waiting for application", "Application startup complete",
             "Application shutdown complete", "Finished server process", "connection open", "connection closed")
"""uvicorn's lifecycle messages: shown at debug only (the start-up line says what matters)."""
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ACCESS_FORMAT = '%(asctime)s %(levelname)s access: %(client_addr)s "%(request_line)s" %(status_code)s'


class UvicornFilter(logging.Filter):
    """On uvicorn's `uvicorn.error` logger (kept at info so the bound address is always seen): hands the
    bound address to `announce` instead of logging it, drops lifecycle chatter above debug and anything
    below the chosen level."""

    def __init__(self, level: int, announce: Callable[[str], None]) -> None:
        super().__init__()
        self.level = level
        self.announce = announce

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("Uvicorn running on ") and record.args and len(record.args) == 3:
            scheme, host, port = record.args  # type: ignore[misc]
            self.announce(f"{scheme}://[{host}]:{port}" if ":" in str(host) else f"{scheme}://{host}:{port}")
            return False
        if message.endswith('"WebSocket %s" [accepted]'):  # a WebSocket connection: an access line like HTTP's
            record.name, record.msg = "access", '%s "WebSocket %s" accepted'
        else:
            record.name = "uvicorn"
        if message.startswith(LIFECYCLE):
            return self.level <= logging.DEBUG
        return record.levelno >= self.level


def log_config(level: str, announce: Callable[[str], None]) -> dict[str, Any]:
    """A logging.config.dictConfig for the server process (also handed to uvicorn as its log_config).

    `announce(url)` is called once the listening socket is bound.

    Raises:
        ValueError: `level` is not one of LEVELS.
    """
    if level not in LEVELS:
        raise ValueError(f"log level {level!r}: expected one of {', '.join(LEVELS)}")
    number = logging.getLevelName(level.upper())
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"uvicorn": {"()": lambda: UvicornFilter(number, announce)}},
        "formatters": {
            "default": {"format": FORMAT, "datefmt": "%Y-%m-%d %H:%M:%S"},
            "access": {"()": "uvicorn.logging.AccessFormatter", "fmt": ACCESS_FORMAT, "datefmt": "%Y-%m-%d %H:%M:%S",
                       "use_colors": False},
        },
        "handlers": {
            "default": {"class": "logging.StreamHandler", "formatter": "default", "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "access", "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": min(number, logging.INFO), "propagate": False},
            "uvicorn.error": {"level": min(number, logging.INFO), "filters": ["uvicorn"]},
            "uvicorn.access": {"handlers": ["access"], "level": number, "propagate": False},
        },
        "root": {"handlers": ["default"], "level": number},
    }


def print_line(text: str) -> None:
    """Print the start-up line on stdout at once (a pipe would otherwise hold it back)."""
    print(text, file=sys.stdout, flush=True)
