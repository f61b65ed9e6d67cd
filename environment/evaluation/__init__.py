"""Evaluation harness: built-in agents, one rollout loop shared with inference.py, resumable runs,
summaries (solve rate, mean reward, unbiased pass@k) and a self-contained HTML report."""

from environment.evaluation.agents import AGENTS, Agent, AgentError, Policy, make_agent
from environment.evaluation.rollout import EpisodeResult, StepLog, play_episode

__all__ = ["AGENTS", "Agent", "AgentError", "EpisodeResult", "Policy", "StepLog", "make_agent", "play_episode"]
