"""Lookup of report exporters by format name.

API clients choose the format of a report export per request (``?format=tsv``). Each format
is a public module in :mod:`exporters.formats` with ``CONTENT_TYPE`` and ``export(rows)``.
"""

import importlib
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
    if name not in available_formats():
        raise UnknownFormatError(f"unknown export format {name!r}")
    return importlib.import_module(f"{formats.__name__}.{name}")


def export_report(rows: Sequence[dict[str, Any]], fmt: str) -> tuple[str, str]:
    """Export ``rows`` in format ``fmt``; return ``(content_type, body)``."""
    exporter = load_exporter(fmt)
    return exporter.CONTENT_TYPE, exporter.export(rows)
