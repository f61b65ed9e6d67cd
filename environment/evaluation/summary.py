"""Aggregates over episode records: per category, per CWE and per tier; solve rate, mean reward,
unbiased pass@k and, for security tasks, "secure and correct" (all functional and exploit tests
pass, i.e. solved)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from math import comb
from typing import Any

GROUPINGS = ("category", "cwe", "tier")


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased estimator 1 - C(n-c, k) / C(n, k) (Chen et al., 2021) for n samples with c correct."""
    if k > n:
        raise ValueError(f"pass@{k} needs at least {k} samples, got {n}")
    if n - c < k:
        return 1.0
    return 1.0 - comb(n - c, k) / comb(n, k)


@dataclass
class GroupStats:
    name: str
    episodes: int
    tasks: int
    solve_rate: float
    mean_reward: float
    pass_at: dict[int, float | None]
    secure_and_correct: float | None

    def as_dict(self) -> dict[str, Any]:
        return {"group": self.name, "episodes": self.episodes, "tasks": self.tasks, "solve_rate": self.solve_rate,
                "mean_reward": self.mean_reward, "secure_and_correct": self.secure_and_correct,
                **{f"pass@{k}": v for k, v in self.pass_at.items()}}


def group_keys(record: dict[str, Any], grouping: str) -> list[str]:
    """The groups `record` counts in: every category of its bugs (a multi-bug task counts under each), each of
    its CWEs, its tier."""
    if grouping == "category":
        return list(record.get("categories") or [record.get("category") or "no_bug"])
    if grouping == "cwe":
        return sorted(set(record.get("cwes") or [])) or []
    if grouping == "tier":
        return [f"tier {record['tier']}" if record.get("tier") else "no tier"]
    raise ValueError(grouping)


def stats(name: str, records: list[dict[str, Any]], ks: tuple[int, ...]) -> GroupStats:
    per_task: dict[str, list[bool]] = defaultdict(list)
    for record in records:
        per_task[record["task_id"]].append(bool(record["solved"]))
    pass_at: dict[int, float | None] = {}
    for k in ks:
        values = [pass_at_k(len(v), sum(v), k) for v in per_task.values() if len(v) >= k]
        pass_at[k] = sum(values) / len(values) if values else None
    security = [r for r in records if r.get("security")]
    n = len(records)
    return GroupStats(name=name, episodes=n, tasks=len(per_task),
                      solve_rate=sum(r["solved"] for r in records) / n if n else 0.0,
                      mean_reward=sum(r["reward"] for r in records) / n if n else 0.0, pass_at=pass_at,
                      secure_and_correct=sum(r["solved"] for r in security) / len(security) if security else None)


def summarize(records: list[dict[str, Any]], k: int = 1) -> dict[str, list[GroupStats]]:
    """{"all": [overall], "category": [...], "cwe": [...], "tier": [...]} over scored episodes."""
    ks = (1, k) if k > 1 else (1,)
    scored = [r for r in records if r.get("status") != "env_error"]
    out: dict[str, list[GroupStats]] = {"all": [stats("all", scored, ks)]}
    for grouping in GROUPINGS:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in scored:
            for key in group_keys(record, grouping):
                groups[key].append(record)
        out[grouping] = [stats(key, groups[key], ks) for key in sorted(groups)]
    return out


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_tables(summary: dict[str, list[GroupStats]]) -> str:
    """Plain-text tables (one per grouping, then the overall row)."""
    ks = list(summary["all"][0].pass_at)
    header = ["episodes", "tasks", "solved", "reward", *[f"pass@{k}" for k in ks], "sec+correct"]
    width = max([len(g.name) for rows in summary.values() for g in rows] + [12]) + 2
    lines: list[str] = []
    for grouping in (*GROUPINGS, "all"):
        rows = summary[grouping]
        if not rows:
            continue
        title = "overall" if grouping == "all" else f"by {grouping}"
        lines.append(f"{title:<{width}}" + "".join(f"{h:>12}" for h in header))
        for g in rows:
            cells = [str(g.episodes), str(g.tasks), _fmt(g.solve_rate), _fmt(g.mean_reward),
                     *[_fmt(g.pass_at[k]) for k in ks], _fmt(g.secure_and_correct)]
            lines.append(f"{g.name:<{width}}" + "".join(f"{c:>12}" for c in cells))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
