"""Evaluation harness: built-in agents, one rollout loop shared with inference.py, resumable runs,
summaries (solve rate, mean reward, unbiased pass@k) and a self-contained HTML report."""

AGENTS = ("oracle", "reader", "noop", "approve", "random", "openai")
"""Built-in agent names (here, so the CLI can list them without importing the agents and OpenEnv)."""
