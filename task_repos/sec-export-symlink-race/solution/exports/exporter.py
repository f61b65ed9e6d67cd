"""Writes report rows as CSV files into the shared export directory."""

import csv
import io
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from exports.cells import format_cell
from exports.paths import check_target

Progress = Callable[[str, Path], None]


class CsvExporter:
    """Exports tabular reports; ``progress`` is told about each stage of an export."""

    def __init__(self, export_dir: Path, progress: Progress | None = None) -> None:
        self.export_dir = Path(export_dir)
        self._progress = progress

    def _report(self, stage: str, path: Path) -> None:
        if self._progress is not None:
            self._progress(stage, path)

    def render(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([format_cell(value) for value in row])
        return buffer.getvalue()

    def export(self, filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
        """Write the report to ``filename`` (replacing an older export) and return its path."""
        path = check_target(self.export_dir, filename)
        content = self.render(header, rows)
        self._report("rendered", path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o640)
        with open(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(content)
        self._report("written", path)
        return path
