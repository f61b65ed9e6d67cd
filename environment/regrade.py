"""Grade stored episode artifacts again from their raw run records (pure: nothing executes)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from environment.corpus.baselines import grade_spec, read_recorded
from environment.corpus.tasks import load_tasks, task_dirs
from environment.corpus.variants import make_variant
from graders import check_fix, grade
from sandbox.types import Isolation, RunResult, RunStatus


def _result(run: dict[str, Any] | None) -> RunResult | None:
    if run is None:
        return None
    return RunResult(status=RunStatus(run["status"]), runner=run["runner"], isolation=Isolation(run["isolation"]),
                     duration_s=run["duration_s"], report=run["report"], exit_code=run["exit_code"],
                     reason=run["reason"], output_tail=run["output_tail"], image=run["image"])


def regrade_dir(root: Path) -> list[dict[str, Any]]:
    tasks = load_tasks(task_dirs())
    results = []
    for path in sorted(root.rglob("step-*.json")):
        record = json.loads(path.read_text())
        if "grade" not in record:
            continue
        task = tasks.tasks[record["task_id"]]
        if record.get("variant_seed") is not None:  # a procedural variant: rebuild it (deterministic)
            task = make_variant(task, record["variant_seed"])
        baseline = read_recorded(task)
        if baseline is None:
            variant = f" (variant {record['variant_seed']})" if record.get("variant_seed") is not None else ""
            raise SystemExit(f"{task.id}{variant}: no recorded baseline to regrade against")
        spec = grade_spec(task, baseline)
        changes = record["changes"]
        verdict = check_fix(changes, spec.original, spec.allowed_imports)
        report = grade(spec, {**spec.original, **changes}, sorted(changes), verdict, _result(record["run"]))
        stored = record["grade"]["fix_score"]
        results.append({"file": str(path), "stored": stored, "regraded": report.fix_score,
                        "same": abs(stored - report.fix_score) < 1e-9})
    return results
