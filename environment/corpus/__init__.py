"""The task corpus: task folders and their contract, baselines and validation, procedural variants and the
security curriculum."""
