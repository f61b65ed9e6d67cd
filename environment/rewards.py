"""Reward shaping as the seed gives it, in one place (README, "Reward").

Per-step reward = change of the clipped cumulative total, so step rewards always add up to the
episode reward. Fix components come from real execution (graders), never from text similarity alone.
"""

from __future__ import annotations

DETECT = 0.30          # split evenly over the task's bugs
SUGGEST = 0.25
APPLY = 0.30
SEVERITY_EXACT = 0.15
SEVERITY_NEAR = 0.08   # off by one level
APPROVE_BUGGY = -0.40
REQUEST_CHANGES_CLEAN = -0.40
WRONG_DETECTION = -0.10
REPEATED_ACTION = -0.10
WASTED_STEP = -0.02
DETECT_CATEGORY_SHARE = 0.6   # of a bug's detect share; the rest for naming its file (0.25) and line (0.15)
DETECT_FILE_SHARE = 0.25
DETECT_LINE_SHARE = 0.15
LINE_TOLERANCE = 3
CLEAN_EPISODE_SHARE = 0.2  # share of unconstrained resets that draw an already-correct (no_bug) repo
MAX_STEPS = {"easy": 3, "medium": 5, "hard": 8}
SCORED = {
    "easy": ("detect", "severity"),
    "medium": ("detect", "suggest", "apply", "severity"),
    "hard": ("detect", "suggest", "apply", "severity"),
}
COMPONENT_MAX = {"detect": DETECT, "suggest": SUGGEST, "apply": APPLY, "severity": SEVERITY_EXACT}


def scale(difficulty: str) -> float:
    """Normalise so that a perfect episode of any difficulty totals 1.0."""
    return 1.0 / sum(COMPONENT_MAX[c] for c in SCORED[difficulty])


class Ledger:
    """Cumulative reward components of one episode; total = clip(sum, 0, 1)."""

    def __init__(self, difficulty: str, no_bug: bool) -> None:
        self.difficulty = difficulty
        self.no_bug = no_bug
        self.factor = scale(difficulty)
        self.components: dict[str, float] = {"detect": 0.0, "suggest": 0.0, "apply": 0.0, "severity": 0.0,
                                             "verdict": 0.0, "penalties": 0.0}

    def total(self) -> float:
        return min(1.0, max(0.0, sum(self.components.values())))

    def counts(self, component: str) -> bool:
        return component in SCORED[self.difficulty] and not self.no_bug

    def raise_to(self, component: str, value: float) -> float:
        """Keep the best value seen for a component (no farming by resubmitting). Returns the gain."""
        if not self.counts(component):
            return 0.0
        scaled = value * self.factor
        gain = max(0.0, scaled - self.components[component])
        self.components[component] += gain
        return gain

    def add(self, component: str, value: float) -> None:
        self.components[component] += value

    def breakdown(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.components.items()}
