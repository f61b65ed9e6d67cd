"""Curriculum sampler for the security track: start at tier 1, advance a tier when the recent
solve rate passes a threshold (reasoning-gym style level-up, per session).

reset(curriculum={"track": "security", "window": 8, "threshold": 0.75}) keeps using the same
sampler across resets of one session; the tier in use is reported in state.curriculum_tier.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

TIERS = (1, 2, 3, 4)


@dataclass
class SecurityCurriculum:
    window: int = 8
    threshold: float = 0.75
    tier: int = 1
    recent: deque[bool] = field(default_factory=deque)

    def __post_init__(self) -> None:
        if not 1 <= self.window <= 1000 or not 0.0 < self.threshold <= 1.0:
            raise ValueError("curriculum window must be 1..1000 and threshold in (0, 1]")
        self.recent = deque(self.recent, maxlen=self.window)

    def record(self, solved: bool) -> None:
        """Record one finished episode of the current tier; level up when the window is good enough."""
        self.recent.append(solved)
        if (len(self.recent) == self.window and sum(self.recent) / self.window >= self.threshold
                and self.tier < TIERS[-1]):
            self.tier += 1
            self.recent.clear()

    @property
    def solve_rate(self) -> float:
        return sum(self.recent) / len(self.recent) if self.recent else 0.0
