"""A run directory: results.jsonl (one line per episode, appended as episodes finish; a torn last
line from a killed run is dropped on load) and metadata.json."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from environment.corpus.tasks import Task

RESULTS = "results.jsonl"
METADATA = "metadata.json"
REPORT = "report.html"
RETRIED_STATUSES = ("env_error",)  # infrastructure failures are re-run on resume; agent failures are results


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def episode_key(task_id: str, seed: int) -> str:
    return f"{task_id}#{seed}"


def task_set_version(tasks: Iterable[Task]) -> str:
    """Hash of the task content hashes (order-independent)."""
    digest = hashlib.sha256()
    for content_hash in sorted(f"{t.id}:{t.content_hash}" for t in tasks):
        digest.update(content_hash.encode() + b"\n")
    return digest.hexdigest()[:16]


class RunStore:
    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.results_path = self.out / RESULTS
        self.metadata_path = self.out / METADATA
        self._lock = threading.Lock()
        self.dropped_lines = 0

    def load(self) -> dict[str, dict[str, Any]]:
        """Finished episodes by key (the last line for a key wins). Repairs a torn last line."""
        records: dict[str, dict[str, Any]] = {}
        if not self.results_path.exists():
            return records
        raw = self.results_path.read_bytes()
        keep = len(raw)
        if raw and not raw.endswith(b"\n"):  # a write cut short: drop the partial line
            keep = raw.rfind(b"\n") + 1
            self.dropped_lines += 1
        for line in raw[:keep].splitlines():
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                records[episode_key(record["task_id"], record["seed"])] = record
            except (ValueError, KeyError, TypeError):
                self.dropped_lines += 1
        if keep != len(raw):
            with open(self.results_path, "r+b") as handle:
                handle.truncate(keep)
        return records

    def done_keys(self, records: dict[str, dict[str, Any]]) -> set[str]:
        return {key for key, record in records.items() if record.get("status") not in RETRIED_STATUSES}

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, sort_keys=True, default=str) + "\n"
        with self._lock, open(self.results_path, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def read_metadata(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.metadata_path.read_text())
        except (OSError, ValueError):
            return None

    def write_metadata(self, metadata: dict[str, Any]) -> None:
        tmp = self.metadata_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(metadata, indent=2, sort_keys=True, default=str) + "\n")
        tmp.replace(self.metadata_path)
