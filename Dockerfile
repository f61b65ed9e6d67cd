# AutoCodeRL server image, Hugging Face Space ready: listens on $PORT (8000), runs as uid 1000, needs no
# Docker socket (AUTOCODERL_RUNNER=auto then picks the local runner: bubblewrap where user namespaces exist,
# else Landlock + seccomp; /health says which and why) and writes only /tmp and its caches.
#
# On a Space, `docker build .` works as is: Debian's python3.11, bubblewrap and tini come from apt, the Python
# packages from the index. scripts/build_space_image.sh builds the same image without a registry or network:
# it stages space-offline/ (host-downloaded wheels and .debs) beside the sources and passes the sandbox image's
# debootstrap base (the host's exact python3.11 packages) as BASE_IMAGE.
#
# Code under test runs on Debian bookworm's python3.11 (/usr/bin/python3.11, sandbox/interpreter.py); so does the
# server, from /opt/venv. python:3.11-slim-bookworm: bookworm is the Debian release with that package.
ARG BASE_IMAGE=python:3.11-slim-bookworm
FROM ${BASE_IMAGE}

ENV LANG=C.UTF-8 PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    PORT=8000 AUTOCODERL_RUNNER=auto MAX_CONCURRENT_ENVS=64 TMPDIR=/tmp AUTOCODERL_ENV_DIR=/opt/autocoderl-envs

# pyproject.toml always; space-offline/ only in the staged offline context (the glob matches nothing on a Space).
COPY pyproject.toml space-offlin[e] /tmp/offline/

# System packages (bubblewrap, tini; offline: the staged .debs), the uid-1000 user, and the server's venv on
# Debian's python3.11 with the project's dependencies (offline: the staged wheels, pip run from its wheel).
RUN set -eu; \
    missing=""; \
    [ -x /usr/bin/python3.11 ] || missing="python3.11 python3.11-venv"; \
    if ls /tmp/offline/debs/*.deb >/dev/null 2>&1; then dpkg -i /tmp/offline/debs/*.deb; fi; \
    command -v bwrap >/dev/null || missing="$missing bubblewrap"; \
    command -v tini >/dev/null || missing="$missing tini"; \
    if [ -n "$missing" ]; then \
        apt-get update; \
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing; \
        rm -rf /var/lib/apt/lists/*; \
    fi; \
    useradd --uid 1000 --create-home --shell /bin/bash user; \
    /usr/bin/python3.11 -c 'import tomllib; print(*tomllib.load(open("/tmp/offline/pyproject.toml", "rb"))["project"]["dependencies"], sep="\n")' \
        > /tmp/server-requirements.txt; \
    if [ -d /tmp/offline/wheels ]; then \
        export PIP_NO_INDEX=1 PIP_FIND_LINKS=/tmp/offline/wheels; \
        /usr/bin/python3.11 -m venv --without-pip /opt/venv; \
        pip_wheel="$(ls /tmp/offline/wheels/pip-*.whl)"; \
        /opt/venv/bin/python "$pip_wheel/pip" install --require-virtualenv "$pip_wheel"; \
    else \
        /usr/bin/python3.11 -m venv /opt/venv; \
    fi; \
    /opt/venv/bin/python -m pip install --require-virtualenv -r /tmp/server-requirements.txt; \
    rm /tmp/server-requirements.txt

WORKDIR /app
COPY pyproject.toml README.md inference.py openenv.yaml ./
COPY environment ./environment
COPY sandbox ./sandbox
COPY graders ./graders
COPY task_repos ./task_repos

# The project (editable: it runs from /app, where its tasks live) and the local runner's base venv (the sandbox's
# pinned base set), built now as root so a Space needs no package index at start-up and the server's user (so the
# code under test) cannot change either. /app stays root's; the server may write only its wheel cache and derived
# venvs for task requirements (/app/.cache, /opt/autocoderl-envs).
RUN set -eu; \
    if [ -d /tmp/offline/wheels ]; then \
        export PIP_NO_INDEX=1 PIP_FIND_LINKS=/tmp/offline/wheels; \
        mkdir -p /app/.cache && cp -r /tmp/offline/sandbox-wheels /app/.cache/; \
    fi; \
    python -m pip install --require-virtualenv --no-deps -e /app; \
    python -m environment.cli sandbox build --runner local; \
    rm -rf /tmp/offline /app/.cache /app/*.egg-info /app/build; \
    install -d -o 1000 -g 1000 /app/.cache; \
    chown 1000:1000 /opt/autocoderl-envs; \
    python -c "import environment.app"

USER 1000
EXPOSE 8000
HEALTHCHECK CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=3)" || exit 1
# tini as PID 1 reaps what the server cannot: processes of a fix orphaned when their evaluation is killed (a Space
# starts the image without an init; the server as PID 1 would keep every one as a zombie).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["python", "-m", "environment.app"]
