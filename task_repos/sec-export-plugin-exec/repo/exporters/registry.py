"""Lookup of report exporters by format name.

API clients choose the format of a report export per request (``?format=tsv``). Each format
is a public module in :mod:`exporters.formats` with ``CONTENT_TYPE`` and ``export(rows)``.
"""

import pkgutil
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from exporters import formats


class UnknownFormatError(ValueError):
    """Raised when no exporter exists for the requested format."""


def available_formats() -> list[str]:
    """Names of all installed export formats, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules(formats.__path__) if not m.name.startswith("_"))


def load_exporter(name: str) -> ModuleType:
    """Return the exporter module for the format ``name``."""
    namespace: dict[str, Any] = {}
    try:
        exec(f"from exporters.formats import {name} as exporter", namespace)
    except (ImportError, SyntaxError) as exc:
        raise UnknownFormatError(f"unknown export format {name!r}") from exc
    return namespace["exporter"]


def export_report(rows: Sequence[dict[str, Any]], fmt: str) -> tuple[str, str]:
    """Export ``rows`` in format ``fmt``; return ``(content_type, body)``."""
    exporter = load_exporter(fmt)
    return exporter.CONTENT_TYPE, exporter.export(rows)
