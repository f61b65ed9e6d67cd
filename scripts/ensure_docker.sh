#!/usr/bin/env bash
# Make sure a Docker engine answers. Idempotent: does nothing when `docker info` already works.
# Otherwise installs Debian's docker.io (+ debootstrap for offline base images), starts dockerd in the
# background (its own session, log in /tmp) and waits until it answers. Never stops a running daemon.
set -euo pipefail

LOG="${AUTOCODERL_DOCKERD_LOG:-/tmp/autocoderl-dockerd.log}"
WAIT_S="${AUTOCODERL_DOCKERD_WAIT_S:-60}"

if docker info >/dev/null 2>&1; then
    echo "ensure_docker: engine already answers"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    echo "ensure_docker: installing docker.io and debootstrap"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq docker.io debootstrap >/dev/null
fi

# A daemon may be starting already (pid file with a live process): wait for it instead of starting another.
if [ -s /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    echo "ensure_docker: dockerd $(cat /var/run/docker.pid) is running; waiting for it"
else
    echo "ensure_docker: starting dockerd (log: $LOG)"
    $SUDO setsid dockerd >"$LOG" 2>&1 < /dev/null &
fi

for _ in $(seq 1 "$WAIT_S"); do
    if docker info >/dev/null 2>&1; then
        echo "ensure_docker: engine answers"
        exit 0
    fi
    sleep 1
done
echo "ensure_docker: dockerd did not answer within ${WAIT_S}s; last log lines:" >&2
tail -n 30 "$LOG" >&2 || true
exit 1
