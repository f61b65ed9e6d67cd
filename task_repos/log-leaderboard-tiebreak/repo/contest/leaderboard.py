"""Leaderboard of a programming contest."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Submission:
    team: str
    score: int
    submitted_at: datetime


def best_per_team(submissions: Iterable[Submission]) -> list[Submission]:
    """Each team's best submission: highest score, and the earliest one among equal scores."""
    best: dict[str, Submission] = {}
    for sub in submissions:
        current = best.get(sub.team)
        if (
            current is None
            or sub.score > current.score
            or (sub.score == current.score and sub.submitted_at < current.submitted_at)
        ):
            best[sub.team] = sub
    return list(best.values())


def standings(submissions: Iterable[Submission]) -> list[tuple[int, str, int]]:
    """(place, team, score) rows, best team first.

    Teams are ordered by score; on equal scores the team that reached the score first
    is placed higher.
    """
    ranked = sorted(best_per_team(submissions), key=lambda s: (s.score, s.submitted_at), reverse=True)
    return [(place, sub.team, sub.score) for place, sub in enumerate(ranked, start=1)]


def winner(submissions: Iterable[Submission]) -> str | None:
    rows = standings(submissions)
    return rows[0][1] if rows else None
