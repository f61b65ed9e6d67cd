"""Reward shaping as the seed gives it, in one place (README, "Reward").

Per-step reward = change of the clipped cumulative total, so step rewards always add up to the
episode reward. Fix components come from real execution (graders), never from text similarity alone.

What a policy that reads no code cannot earn (README, "Reward"): a detection counts only when it names the
bug's category, file and line; severity counts only after a bug was detected; a false report costs a
penalty normalised like the rest; approving a correct repo counts only after running its tests.
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
LINE_TOLERANCE = 2
CLEAN_EPISODE_SHARE = 0.08  # share of resets that draw an already-correct (no_bug) repo (when the filter has both)
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
        """Add `value`; penalties are normalised like every scored component (totals are per difficulty)."""
        self.components[component] += value * (self.factor if component == "penalties" else 1.0)

    def breakdown(self) -> dict[str, float]:
        return {k: round(v, 4) for k, v in self.components.items()}
