#!/usr/bin/env bash
# Install AutoCodeRL on a fresh Debian/Ubuntu machine (Python 3.11 + pip present).
#   scripts/install.sh           system tools (bubblewrap) + the package and its Python deps
#   scripts/install.sh --test    also the test extras ([dev,ray,train]), Chromium (for /web tests), a Docker engine and the sandbox image
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"

packages=(bubblewrap)
if [ "${1:-}" = "--test" ]; then
    packages+=(chromium docker.io debootstrap)
fi
missing=()
for pkg in "${packages[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "install: apt-get install ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ "${1:-}" = "--test" ]; then
    "$PYTHON" -m pip install -q --disable-pip-version-check -e ".[dev,ray,train]"
    bash scripts/ensure_docker.sh
    bash scripts/build_sandbox_image.sh
else
    "$PYTHON" -m pip install -q --disable-pip-version-check -e .
fi
# The local runner's base venv (the sandbox's pinned base set) and the venvs of any task requirements.
"$PYTHON" -m environment.cli sandbox build --runner local
echo "install: done"
