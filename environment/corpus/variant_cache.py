"""Serving procedural variants: build one, check it with the baseline machinery before any agent sees
it (the buggy repo fails a hidden test or its declared style check fires; the reference fails none),
and keep the outcome per (task id, seed) in a bounded LRU."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from environment.corpus.baselines import BaselineError
from environment.corpus.tasks import Task
from environment.corpus.validation import _problems
from environment.corpus.variants import make_variant
from environment.evaluator import Evaluator
from sandbox.types import SandboxError

log = logging.getLogger("autocoderl.variants")


class VariantCache:
    def __init__(self, evaluator: Evaluator, size: int = 512) -> None:
        self.evaluator = evaluator
        self.size = size
        self._items: OrderedDict[tuple[str, int], tuple[str, Task | None, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, task: Task, seed: int) -> tuple[Task | None, str]:
        """The validated variant, or (None, why) when it cannot be served (the caller falls back)."""
        key = (task.id, seed)
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == task.content_hash:
                self._items.move_to_end(key)
                return hit[1], hit[2]
        variant, why, final = self._build(task, seed)
        if final:
            with self._lock:
                self._items[key] = (task.content_hash, variant, why)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    _, (_, old, _) = self._items.popitem(last=False)
                    if old is not None:
                        self.evaluator.baselines.discard(old)
        return variant, why

    def _build(self, task: Task, seed: int) -> tuple[Task | None, str, bool]:
        """(variant or None, reason, whether the outcome may be cached)."""
        try:
            variant = make_variant(task, seed)
        except (ValueError, SyntaxError) as exc:  # pydantic's ValidationError is a ValueError
            log.warning("variant %s of %s could not be built: %s", seed, task.id, exc)
            return None, "it could not be built", True
        if variant.content_hash == task.content_hash:
            return None, "nothing to vary", True
        try:
            baseline = self.evaluator.baselines.get(variant)
        except (BaselineError, SandboxError) as exc:
            log.warning("variant %s of %s could not be checked: %s", seed, task.id, exc)
            return None, "it could not be checked", False
        problems = _problems(variant, baseline)
        if problems:
            log.warning("variant %s of %s failed validation: %s", seed, task.id, "; ".join(problems))
            self.evaluator.baselines.discard(variant)
            return None, "it failed validation", True
        return variant, "", True
