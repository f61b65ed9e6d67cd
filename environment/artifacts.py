"""Per-episode artifacts (the fix, the raw run record, the grade) that `autocoderl regrade` can
grade again later without running anything."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from environment.evaluator import Evaluation


def write_step(root: str | Path, episode_id: str, step: int, payload: dict[str, Any],
               evaluation: Evaluation | None) -> Path:
    folder = Path(root) / episode_id
    folder.mkdir(parents=True, exist_ok=True)
    record = dict(payload)
    if evaluation is not None:
        record["changes"] = evaluation.changes
        record["run"] = evaluation.result.to_dict() if evaluation.result else None
        record["grade"] = evaluation.report.to_dict()
    path = folder / f"step-{step:02d}.json"
    path.write_text(json.dumps(record, indent=1, sort_keys=True, default=str))
    return path
