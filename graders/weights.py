"""Every weight of the fix score in one place (documented in README, "Reward").

fix_score = evidence * (BASE + sum(QUALITY[c] * score_c for applicable c) / applicable share + COVERAGE * cov)

`evidence` is the test credit (fail-to-pass rate, scaled down on any pass-to-pass regression); for
tasks with no fail-to-pass test (pure style) it is the share of declared target findings that are gone.
Quality checks and coverage can only scale evidence, never replace it: unchanged buggy code scores 0.
"""

BASE = 0.65
QUALITY: dict[str, float] = {"security": 0.10, "lint": 0.10, "ast": 0.10}
COVERAGE = 0.05          # line coverage of the changed modules, counted only when every expected test passes
REGRESSION_FACTOR = 0.5  # evidence is multiplied by this (and by the pass-to-pass rate) on any regression
SIMILARITY_WEIGHT = 0.2  # share of the suggest_fix reward from similarity to the reference (never apply_fix)
FIX_WEIGHTS: dict[str, float] = {"tests": BASE, **QUALITY, "coverage": COVERAGE}
