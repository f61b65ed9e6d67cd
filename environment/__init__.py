"""AutoCodeRL environment: models, episodes and rewards, the OpenEnv server and client, tasks, evaluation."""
