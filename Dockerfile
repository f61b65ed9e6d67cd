# AutoCodeRL server image (Hugging Face Space ready: port 8000, non-root, read-only friendly).
# With no Docker socket inside (a Space), AUTOCODERL_RUNNER=auto falls back to the local runner.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 \
    PORT=8000 AUTOCODERL_RUNNER=auto MAX_CONCURRENT_ENVS=64 TMPDIR=/tmp AUTOCODERL_ENV_DIR=/opt/autocoderl-envs

RUN (apt-get update && apt-get install -y --no-install-recommends bubblewrap && rm -rf /var/lib/apt/lists/*) || true
WORKDIR /app
COPY pyproject.toml README.md ./
COPY environment ./environment
COPY sandbox ./sandbox
COPY graders ./graders
COPY task_repos ./task_repos
COPY inference.py openenv.yaml ./
# The local runner's base venv (the sandbox's pinned base set) is built now, as root, so the Space needs no
# package index at start-up and the server's user (and so the code under test) cannot change it. Derived
# venvs for task requirements are built later by the server into the same (user-writable) directory.
RUN python -m pip install -e . && useradd --uid 1000 --create-home user \
    && python -m environment.cli sandbox build --runner local \
    && chown -R user /app && chown user /opt/autocoderl-envs
USER 1000
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=3)" || exit 1
CMD ["python", "-m", "environment.app"]
